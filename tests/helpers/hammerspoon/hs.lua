-- A stand-in for the parts of Hammerspoon's `hs` API the Spoon uses, so the Spoon's own code runs
-- under plain Lua against the real service: HTTP through curl, hotkeys and timers driven by the
-- test, menu bar titles recorded.

local hs = {
  requests = {}, titles = {}, hotkeys = {}, timers = {}, warnings = {}, keystrokes = {},
  later = {},
}

-- JSON, enough for the service's answers: objects, arrays, strings, numbers, booleans, null.
local json = {}
local function encode(v)
  local t = type(v)
  if t == "nil" then return "null" end
  if t == "boolean" or t == "number" then return tostring(v) end
  if t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  end
  local parts = {}
  if #v > 0 then
    for _, item in ipairs(v) do parts[#parts + 1] = encode(item) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  for k, item in pairs(v) do parts[#parts + 1] = encode(tostring(k)) .. ":" .. encode(item) end
  return "{" .. table.concat(parts, ",") .. "}"
end
json.encode = encode

function json.decode(text)
  local at = 1
  local function space() at = text:find("[^ \t\r\n]", at) or #text + 1 end
  local value
  local function str()
    local out, i = {}, at + 1
    while true do
      local c = text:sub(i, i)
      if c == "" then error("unterminated string") end
      if c == '"' then break end
      if c == "\\" then
        local e = text:sub(i + 1, i + 1)
        if e == "u" then
          out[#out + 1] = utf8.char(tonumber(text:sub(i + 2, i + 5), 16))
          i = i + 6
        else
          out[#out + 1] = ({ n = "\n", t = "\t", r = "\r", b = "\b", f = "\f" })[e] or e
          i = i + 2
        end
      else
        out[#out + 1] = c
        i = i + 1
      end
    end
    at = i + 1
    return table.concat(out)
  end
  function value()
    space()
    local c = text:sub(at, at)
    if c == "{" then
      local obj = {}
      at = at + 1
      space()
      if text:sub(at, at) == "}" then at = at + 1 return obj end
      while true do
        space()
        local key = str()
        space()
        at = at + 1 -- ':'
        obj[key] = value()
        space()
        local sep = text:sub(at, at)
        at = at + 1
        if sep == "}" then return obj end
      end
    elseif c == "[" then
      local arr = {}
      at = at + 1
      space()
      if text:sub(at, at) == "]" then at = at + 1 return arr end
      while true do
        arr[#arr + 1] = value()
        space()
        local sep = text:sub(at, at)
        at = at + 1
        if sep == "]" then return arr end
      end
    elseif c == '"' then
      return str()
    elseif text:sub(at, at + 3) == "true" then at = at + 4 return true
    elseif text:sub(at, at + 4) == "false" then at = at + 5 return false
    elseif text:sub(at, at + 3) == "null" then at = at + 4 return nil
    else
      local number = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", at)
      if not number or number == "" then error("bad JSON at " .. at) end
      at = at + #number
      return tonumber(number)
    end
  end
  return value()
end
hs.json = json

local function shellQuote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

hs.http = {}
function hs.http.doAsyncRequest(url, method, data, headers, callback)
  local path = url:gsub("^https?://[^/]+", "")
  hs.requests[#hs.requests + 1] = method .. " " .. path
  local args = { "curl", "-s", "-X", method, "-w", shellQuote("\n%{http_code}") }
  for k, v in pairs(headers or {}) do args[#args + 1] = "-H " .. shellQuote(k .. ": " .. v) end
  local file
  if data then
    file = os.tmpname()
    local f = io.open(file, "w")
    f:write(data)
    f:close()
    args[#args + 1] = "--data-binary @" .. shellQuote(file)
  end
  args[#args + 1] = shellQuote(url)
  local pipe = io.popen(table.concat(args, " "))
  local out = pipe:read("a")
  pipe:close()
  if file then os.remove(file) end
  local body, status = out:match("^(.*)\n(%d+)$")
  status = tonumber(status) or 0
  -- curl prints 000 when it cannot connect; Hammerspoon reports a negative status then.
  callback(status == 0 and -1 or status, body or "", {})
end

hs.logger = {}
function hs.logger.new()
  return {
    i = function() end,
    w = function(message) hs.warnings[#hs.warnings + 1] = message end,
  }
end

hs.hotkey = {}
function hs.hotkey.bind(mods, key, pressed, released)
  local hotkey = { mods = mods, key = key, pressed = pressed, released = released }
  function hotkey:delete() self.deleted = true end
  hs.hotkeys[#hs.hotkeys + 1] = hotkey
  return hotkey
end

hs.menubar = {}
function hs.menubar.new()
  local bar = {}
  function bar:setTitle(title)
    if hs.titles[#hs.titles] ~= title then hs.titles[#hs.titles + 1] = title end
  end
  function bar:setTooltip(tip) self.tooltip = tip end
  function bar:delete() self.deleted = true end
  return bar
end

hs.timer = {}
function hs.timer.new(interval, fn)
  local timer = { interval = interval, fn = fn, running = false }
  function timer:start() self.running = true return self end
  function timer:stop() self.running = false return self end
  hs.timers[#hs.timers + 1] = timer
  return timer
end

--- Wall-clock seconds with a fraction (plain Lua has only whole seconds).
function hs.timer.secondsSinceEpoch()
  local pipe = io.popen("date +%s.%N")
  local now = tonumber(pipe:read("a"))
  pipe:close()
  return now
end

--- A one-shot timer: it fires at the first tick after its time.
function hs.timer.doAfter(seconds, fn)
  local timer = { at = hs.timer.secondsSinceEpoch() + seconds, fn = fn, running = true }
  function timer:stop() self.running = false return self end
  hs.later[#hs.later + 1] = timer
  return timer
end

--- Runs the timers that are started, as Hammerspoon's run loop would.
function hs.tick()
  for _, timer in ipairs(hs.timers) do
    if timer.running then timer.fn() end
  end
  local now = hs.timer.secondsSinceEpoch()
  for _, timer in ipairs(hs.later) do
    if timer.running and timer.at <= now then
      timer.running = false
      timer.fn()
    end
  end
end

hs.host = {}
function hs.host.uuid()
  local f = io.open("/proc/sys/kernel/random/uuid", "r")
  local uuid = f:read("l")
  f:close()
  return uuid:upper()
end

hs.hash = {}
--- HMAC-SHA256 as lower-case hex, as Hammerspoon's hs.hash.hmacSHA256 returns it.
function hs.hash.hmacSHA256(key, data)
  local pipe = io.popen("printf %s " .. shellQuote(data) .. " | openssl dgst -sha256 -hmac " .. shellQuote(key))
  local out = pipe:read("a")
  pipe:close()
  return out:match("([0-9a-f]+)%s*$")
end

-- The clipboard, and keystrokes with what the clipboard held when each was sent.
hs.pasteboard = { contents = nil }
function hs.pasteboard.getContents() return hs.pasteboard.contents end
function hs.pasteboard.setContents(text) hs.pasteboard.contents = text return true end
function hs.pasteboard.clearContents() hs.pasteboard.contents = nil end

hs.eventtap = {}
function hs.eventtap.keyStroke(mods, key)
  hs.keystrokes[#hs.keystrokes + 1] = {
    keys = table.concat(mods, "+") .. "+" .. key,
    clipboard = hs.pasteboard.contents,
  }
end

return hs
