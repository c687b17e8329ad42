-- wrk: cycle through the four contract routes, one per request.
local paths = { "/", "/Kalimaha/", "/blueprint/", "/blueprint/Kalimaha/" }
local next_path = 0

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
