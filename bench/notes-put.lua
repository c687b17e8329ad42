-- wrk: PUT one of 100 notes in turn, replacing it with the same short text.
local next_id = 0
wrk.headers["Content-Type"] = "application/json"

request = function()
  next_id = next_id % 100 + 1
  return wrk.format("PUT", "/notes/bench-" .. next_id .. "/", nil, '{"text":"Buy milk, eggs and bread"}')
end
