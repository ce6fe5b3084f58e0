--- === Nobody ===
---
--- Push-to-talk for nobody, the local voice service: hold a hotkey to talk to a persona through
--- the Mac's microphone and speaker, with the conversation's state in the menu bar; hold a second
--- hotkey to dictate into the focused app (or double-tap it to dictate hands-free until the next
--- tap): the text is pasted where the cursor is and the clipboard is put back.
---
--- The HTTP calls (see README.md beside this file):
---   POST   /sessions                      {"audio":"device","persona_id":...}  once, at start
---   POST   /sessions/{id}/start_recording                                      talk key down
---   POST   /sessions/{id}/stop_recording                                       talk key up
---   POST   /sessions/{id}/start_recording {"mode":"dictation"}                 dictate key down
---   POST   /sessions/{id}/stop_recording?wait=true  -> {"result":{"text":...}} dictate key up
---   POST   /sessions/{id}/cancel                                               a lone short tap
---   GET    /sessions/{id}                                                      state, while busy
---   DELETE /sessions/{id}                                                      at stop
--- each with "Authorization: Bearer <token>", the token read from the data dir, sent only once
--- GET /auth/challenge has proved the program at that address holds the same token.

local obj = {}
obj.__index = obj

obj.name = "Nobody"
obj.version = "0.1.0"
obj.author = "nobody"
obj.license = "MIT"
obj.homepage = "https://github.com/nobody-voice/nobody"

--- Nobody.dataDir
--- Variable
--- nobody's data dir, holding `token` and `server.json`.
obj.dataDir = os.getenv("HOME") .. "/Library/Application Support/nobody"

--- Nobody.personaId
--- Variable
--- The persona to talk to (an id from `nobody personas`), or nil for the service's default.
obj.personaId = nil

--- Nobody.dictationPhrases
--- Variable
--- Words or phrases dictation should recognize (a list), or nil for free text.
obj.dictationPhrases = nil

--- Nobody.pollInterval
--- Variable
--- Seconds between state checks while a turn is under way.
obj.pollInterval = 0.25

--- Nobody.tapSeconds, Nobody.doubleTapSeconds
--- Variable
--- A dictate press shorter than tapSeconds is a tap; a second tap within doubleTapSeconds keeps
--- dictation on until the next tap. A lone tap records nothing.
obj.tapSeconds = 0.3
obj.doubleTapSeconds = 0.4

--- Nobody.restoreClipboardSeconds
--- Variable
--- The clipboard is put back this long after the paste (the app must have read it first).
obj.restoreClipboardSeconds = 0.5

-- Menu bar titles by session state.
obj.titles = {
  dictating = "✎",
  idle = "◯",
  recording = "●",
  processing = "…",
  synthesizing = "…",
  playing = "♪",
  offline = "⊘",
}

local function readFile(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

function obj:init()
  self.sessionId = nil
  self.state = "offline"
  self.menubar = nil
  self.hotkey = nil
  self.timer = nil
  self.dictateHotkey = nil
  self.dictation = nil -- { pressedAt, toggled, tapTimer } while a dictation is under way
  self.typed = {}      -- what was pasted, newest last (for the menu and for tests)
  self.log = hs.logger.new("Nobody", "info")
  return self
end

--- Nobody:baseUrl() -> string
--- Method
--- The running service's address (from server.json), or the default one.
function obj:baseUrl()
  local info = readFile(self.dataDir .. "/server.json")
  if info then
    local ok, decoded = pcall(hs.json.decode, info)
    if ok and decoded and decoded.url then return decoded.url end
  end
  return "http://127.0.0.1:6629"
end

function obj:headers()
  local token = readFile(self.dataDir .. "/token")
  return {
    ["Authorization"] = "Bearer " .. (token and token:gsub("%s+$", "") or ""),
    ["Content-Type"] = "application/json",
  }
end

function obj:setState(state)
  self.state = state
  local title = (state == "recording" and self.dictation) and "dictating" or state
  if self.menubar then self.menubar:setTitle(self.titles[title] or state) end
  if self.timer then
    -- Poll only while a turn is under way; idle costs nothing.
    if state == "idle" or state == "offline" then self.timer:stop() else self.timer:start() end
  end
end

--- Nobody:verify(base, callback)
--- Method
--- The address comes from server.json, which a crash can leave behind, and another program may
--- then hold the port. Before the token is sent there, the service must prove it holds the token:
--- HMAC-SHA256(token, "nobody server proof v1:" .. nonce) over a fresh nonce (GET /auth/challenge).
function obj:verify(base, callback)
  if self.verifiedBase == base then return callback(true) end
  local token = readFile(self.dataDir .. "/token")
  token = token and token:gsub("%s+$", "") or ""
  local nonce = hs.host.uuid():gsub("-", ""):lower()
  hs.http.doAsyncRequest(base .. "/auth/challenge?nonce=" .. nonce, "GET", nil, {}, function(status, text)
    local ok, decoded = pcall(hs.json.decode, text or "")
    local expected = hs.hash.hmacSHA256(token, "nobody server proof v1:" .. nonce)
    if status == 200 and ok and decoded and decoded.proof == expected then
      self.verifiedBase = base
      return callback(true)
    end
    if status < 0 then
      self.log.w("nobody is not reachable at " .. base)
    else
      self.log.w("the program at " .. base .. " did not prove it is nobody; the token was not sent")
    end
    self:setState("offline")
    callback(false)
  end)
end

function obj:request(method, path, body, callback)
  local base = self:baseUrl()
  self:verify(base, function(verified)
    if verified then
      self:send(base, method, path, body, callback)
    elseif callback then
      callback(-1, nil)
    end
  end)
end

function obj:send(base, method, path, body, callback)
  local url = base .. path
  local data = body and hs.json.encode(body) or nil
  hs.http.doAsyncRequest(url, method, data, self:headers(), function(status, text)
    local ok, decoded = pcall(hs.json.decode, text or "")
    if status < 0 then
      self.log.w("nobody is not reachable at " .. url)
      self.verifiedBase = nil -- it may come back as something else: prove it again
      self:setState("offline")
    elseif status >= 400 then
      local message = ok and decoded and decoded.error and decoded.error.message or text
      self.log.w(method .. " " .. path .. ": " .. tostring(status) .. " " .. tostring(message))
    end
    if callback then callback(status, ok and decoded or nil) end
  end)
end

--- Nobody:connect([callback])
--- Method
--- Opens the device session (the service owns the microphone and speaker).
function obj:connect(callback)
  local body = { audio = "device" }
  if self.personaId then body.persona_id = self.personaId end
  if self.dictationPhrases then body.dictation_phrases = self.dictationPhrases end
  self:request("POST", "/sessions", body, function(status, session)
    if status == 201 and session then
      self.sessionId = session.id
      self:setState(session.state)
    elseif status == 409 then
      self.log.w("another session owns the microphone; end it or stop the other client")
    end
    if callback then callback(self.sessionId ~= nil) end
  end)
end

function obj:command(name, body, callback, query)
  if not self.sessionId then
    -- The service restarted or was not up at start: reconnect, then send the command.
    self:connect(function(connected)
      if connected then self:command(name, body, callback, query) end
    end)
    return
  end
  local path = "/sessions/" .. self.sessionId .. "/" .. name .. (query or "")
  self:request("POST", path, body, function(status, session)
    if status == 404 then
      self.sessionId = nil
      self:command(name, body, callback, query)
      return
    end
    if session and session.state then self:setState(session.state) end
    if callback then callback(status, session) end
  end)
end

--- Nobody:press() / Nobody:release()
--- Method
--- Key down starts recording (and interrupts a reply that is playing); key up sends the turn.
function obj:press() self:command("start_recording") end
function obj:release() self:command("stop_recording") end

--- Nobody:dictatePress() / Nobody:dictateRelease()
--- Method
--- Dictate key down starts a dictation turn; key up pastes its text. A double tap keeps it on
--- until the next tap.
function obj:dictatePress()
  local now = hs.timer.secondsSinceEpoch()
  local d = self.dictation
  if d and d.toggled then
    d.ending = true -- the tap that ends a hands-free dictation; its release does nothing
    self:finishDictation()
    return
  end
  if d and d.tapTimer then
    -- The second tap of a double tap: the recording the first one started goes on.
    d.tapTimer:stop()
    d.tapTimer = nil
    d.toggled = true
    d.ignoreRelease = true
    self:setState(self.state)
    return
  end
  self.dictation = { pressedAt = now }
  self:command("start_recording", { mode = "dictation" })
end

function obj:dictateRelease()
  local d = self.dictation
  if not d or d.ending then return end
  if d.ignoreRelease then
    d.ignoreRelease = false
    return
  end
  if hs.timer.secondsSinceEpoch() - d.pressedAt >= self.tapSeconds then
    self:finishDictation()
    return
  end
  -- A tap: the start of a double tap, or nothing at all.
  d.tapTimer = hs.timer.doAfter(self.doubleTapSeconds, function()
    if self.dictation == d then
      self.dictation = nil
      self:command("cancel")
    end
  end)
end

function obj:finishDictation()
  self:command("stop_recording", nil, function(status, answer)
    self.dictation = nil
    local result = answer and answer.result
    if status == 200 and result and result.type == "dictation" and result.text ~= "" then
      self:paste(result.text)
    elseif status ~= 200 then
      local message = answer and answer.error and answer.error.message or tostring(status)
      self.log.w("dictation failed: " .. message)
    end
    if answer and answer.state then self:setState(answer.state) end
  end, "?wait=true")
end

--- Nobody:paste(text)
--- Method
--- Types `text` into the focused app through the clipboard (fast and exact for any language),
--- then puts the clipboard back as it was.
function obj:paste(text)
  local saved = hs.pasteboard.getContents()
  hs.pasteboard.setContents(text)
  hs.eventtap.keyStroke({ "cmd" }, "v", 0)
  self.typed[#self.typed + 1] = text
  hs.timer.doAfter(self.restoreClipboardSeconds, function()
    if saved then hs.pasteboard.setContents(saved) else hs.pasteboard.clearContents() end
  end)
end

function obj:refresh()
  if not self.sessionId then return end
  self:request("GET", "/sessions/" .. self.sessionId, nil, function(status, session)
    if status == 200 and session then self:setState(session.state) end
    if status == 404 then self.sessionId = nil; self:setState("offline") end
  end)
end

--- Nobody:bindHotkeys(mapping)
--- Method
--- mapping: { talk = {{"ctrl", "alt"}, "space"}, dictate = {{"ctrl", "alt"}, "d"} }: hold to
--- talk; hold (or double-tap) to dictate.
function obj:bindHotkeys(mapping)
  local talk = mapping.talk or { { "ctrl", "alt" }, "space" }
  local dictate = mapping.dictate or { { "ctrl", "alt" }, "d" }
  if self.hotkey then self.hotkey:delete() end
  if self.dictateHotkey then self.dictateHotkey:delete() end
  self.hotkey = hs.hotkey.bind(talk[1], talk[2], function() self:press() end, function() self:release() end)
  self.dictateHotkey = hs.hotkey.bind(dictate[1], dictate[2], function() self:dictatePress() end,
    function() self:dictateRelease() end)
  return self
end

function obj:start()
  self.menubar = hs.menubar.new()
  self.menubar:setTooltip("nobody: hold the hotkey to talk")
  self.timer = hs.timer.new(self.pollInterval, function() self:refresh() end)
  self:setState("offline")
  if not self.hotkey then self:bindHotkeys({}) end
  self:connect()
  return self
end

function obj:stop()
  if self.timer then self.timer:stop() end
  if self.hotkey then self.hotkey:delete(); self.hotkey = nil end
  if self.dictateHotkey then self.dictateHotkey:delete(); self.dictateHotkey = nil end
  if self.sessionId then self:request("DELETE", "/sessions/" .. self.sessionId) end
  self.sessionId = nil
  if self.menubar then self.menubar:delete(); self.menubar = nil end
  return self
end

return obj
