-- wrk: GET one of the 100 notes bench/notes.ts writes first, in turn.
local next_id = 0

request = function()
  next_id = next_id % 100 + 1
  return wrk.format("GET", "/notes/bench-" .. next_id .. "/")
end
