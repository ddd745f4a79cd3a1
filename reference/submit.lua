-- wrk script: JSON submissions, each rating 8 projects, each anonymous (so every submission
-- creates a response rather than replacing one; citizen tokens must be signed by a portal,
-- which this script does not do). Serve with a large anonymous allowance:
--   minxin serve --demo --anonymous-per-hour 1000000000
-- Usage: wrk -t2 -c64 -d20s --latency -s reference/submit.lua http://127.0.0.1:8080/api/v1/waves/2/responses
local counter = 0
local projects = {"old-district", "breakfast", "parking", "medical", "rural", "red-culture", "elevators", "preschool"}

function request()
  counter = counter + 1
  local ratings = {}
  for i, project in ipairs(projects) do
    local a = (counter + i) % 5 + 1
    ratings[i] = string.format(
      '{"project":"%s","answers":{"awareness":%d,"relevance":%d,"need_fit":%d,"quality":%d,"value":%d,"satisfaction":%d,"trust_delivery":%d,"trust_improvement":%d}}',
      project, a, a, a, a, a, a, a, a)
  end
  local body = string.format(
    '{"channel":"app","profile":{"district":"310104","gender":"female","age":34},"ratings":[%s]}',
    table.concat(ratings, ","))
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
