-- Runs the Nobody Spoon under the hs stand-in: start, hold the hotkey for HOLD seconds (the person
-- speaking), release, follow the state until the turn is over, stop. Prints what happened as JSON.
-- usage: lua run_spoon.lua SPOON_DIR HOLD_SECONDS
local here = arg[0]:match("^(.*)/[^/]+$")
hs = dofile(here .. "/hs.lua")

local spoon = dofile(arg[1] .. "/init.lua")
local hold = tonumber(arg[2])
local function sleep(seconds) os.execute("sleep " .. seconds) end

spoon:init()
spoon.dataDir = os.getenv("NOBODY_DATA_DIR")
spoon.personaId = os.getenv("NOBODY_PERSONA_ID")
spoon:start()
local connected = spoon.state

local hotkey = hs.hotkeys[1]
hotkey.pressed()
local pressed = spoon.state
sleep(hold)
hotkey.released()
local released = spoon.state

-- The Spoon polls while busy; the turn ends when it is idle again.
local deadline = os.time() + 30
while spoon.state ~= "idle" and spoon.state ~= "offline" and os.time() < deadline do
  sleep(spoon.pollInterval)
  hs.tick()
end
local final = spoon.state
spoon:stop()

print(hs.json.encode({
  connected = connected,
  pressed = pressed,
  released = released,
  final = final,
  hotkey = hotkey.mods[1] .. "+" .. hotkey.mods[2] .. "+" .. hotkey.key,
  requests = hs.requests,
  titles = hs.titles,
  warnings = hs.warnings,
}))
