-- wrk script: JSON submissions with citizen tokens signed by the demo's portal key, each rating
-- 8 projects, each token new (so every submission creates a response). Make the tokens first:
--   python3 reference/sign_tokens.py 2 2000000 > /tmp/tokens.txt
--   minxin serve --demo
--   TOKENS=/tmp/tokens.txt wrk -t2 -c128 -d20s --latency -s reference/submit_signed.lua \
--       http://127.0.0.1:8080/api/v1/waves/2/responses
-- Each wrk thread takes every other token (by its number), so no token is sent twice.
local tokens = {}
local counter = 0
local projects = {"old-district", "breakfast", "parking", "medical", "rural", "red-culture", "elevators", "preschool"}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("part", #threads - 1)
  thread:set("parts", 2)
end

function init(args)
  local k = 0
  for line in io.lines(os.getenv("TOKENS") or "/tmp/tokens.txt") do
    if k % parts == part then
      tokens[#tokens + 1] = line
    end
    k = k + 1
  end
end

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
    '{"token":"%s","profile":{"district":"310104","gender":"female","age":34},"ratings":[%s]}',
    tokens[counter], table.concat(ratings, ","))
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
