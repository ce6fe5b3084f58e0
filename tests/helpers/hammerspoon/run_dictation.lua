-- Runs the Nobody Spoon's dictation key under the hs stand-in. MODE "hold": hold the key for HOLD
-- seconds, release. MODE "double": tap twice, wait HOLD seconds with dictation on, tap again. A
-- lone short tap comes first in "double", and must record nothing. Prints what happened as JSON.
-- usage: lua run_dictation.lua SPOON_DIR MODE HOLD_SECONDS
local here = arg[0]:match("^(.*)/[^/]+$")
hs = dofile(here .. "/hs.lua")

local spoon = dofile(arg[1] .. "/init.lua")
local mode = arg[2]
local hold = tonumber(arg[3])
local function wait(seconds)
  local deadline = hs.timer.secondsSinceEpoch() + seconds
  repeat
    os.execute("sleep 0.05")
    hs.tick()
  until hs.timer.secondsSinceEpoch() >= deadline
end

spoon:init()
spoon.dataDir = os.getenv("NOBODY_DATA_DIR")
hs.pasteboard.setContents("what the user had copied")
spoon:start()

local key
for _, hotkey in ipairs(hs.hotkeys) do
  if hotkey.key == "d" and not hotkey.deleted then key = hotkey end
end
local titles = {}
if mode == "hold" then
  key.pressed()
  titles[#titles + 1] = hs.titles[#hs.titles]
  wait(hold)
  key.released()
else
  -- A lone tap first: it is cancelled once the double-tap time has passed.
  key.pressed(); key.released()
  wait(spoon.doubleTapSeconds + 0.2)
  titles[#titles + 1] = spoon.state
  key.pressed(); key.released()
  key.pressed(); key.released() -- the second tap: dictation stays on
  titles[#titles + 1] = hs.titles[#hs.titles]
  wait(hold)
  key.pressed(); key.released() -- the tap that ends it
end
wait(spoon.restoreClipboardSeconds + 0.3)
local final = spoon.state
spoon:stop()

print(hs.json.encode({
  mode = mode,
  final = final,
  titles = titles,
  typed = spoon.typed,
  keystrokes = hs.keystrokes,
  clipboard = hs.pasteboard.contents,
  requests = hs.requests,
  warnings = hs.warnings,
}))
