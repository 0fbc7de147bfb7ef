-- lib/status.lua: the raw statuses call centres send, mapped to the contract's stages.
--
-- Networks pass on the words of the advertiser's call centre ("No answer", "Call back",
-- "Недозвон", "No contesta", "Não atende", "FTD"), in whatever case, accents and
-- spacing the operator typed. stage() reads them case- and accent-insensitively (Latin and
-- Cyrillic; "ё" is read as "е"), with runs of spaces and punctuation ("_", "-", ".") read
-- as one space, and gives one of the contract's stages:
--
--   wait     still being worked on (new, no answer, call back, busy, voicemail)
--   hold     on hold / potential
--   approve  deposited (FTD, deposit, converted, sale)
--   cancel   the customer said no (not interested, declined, do not call, no money)
--   trash    not a usable lead (wrong number, invalid, duplicate, fake, test, under age)
--
-- A word it does not know gives nil, so the script decides (most use stage `wait`, the
-- convention of docs/writing-integrations.md section 2). A script with words of its own
-- builds its mapper with extend({ ["qualified"] = "hold" }): its words first, then these.
--
-- Shared by the integrations through `require("lib.status")`. Pure; none raises.

local utf8, table = utf8, table
local type, pairs, ipairs, tostring, error = type, pairs, ipairs, tostring, error

local M = {}

--- The contract's stage words, as a set.
M.STAGES = { wait = true, hold = true, approve = true, cancel = true, trash = true }

-- The words, in their normal form (see normalize), by language and stage.
local WORDS = {
  en = {
    wait = {
      "new", "no answer", "noanswer", "call back", "callback", "call again", "call later",
      "recall", "in progress", "follow up", "voicemail", "voice mail", "answering machine",
      "busy", "interested", "reassign", "not reached",
    },
    hold = { "hold", "on hold", "potential", "high potential" },
    approve = { "ftd", "deposit", "deposited", "depositor", "converted", "approved", "sale" },
    cancel = {
      "not interested", "no interest", "do not call", "dnc", "never answer", "low potential",
      "no money", "language barrier", "declined", "rejected", "refused", "cancelled", "canceled",
    },
    trash = {
      "wrong number", "wrong info", "invalid", "invalid number", "duplicate", "fake", "test",
      "under age", "underage", "spam",
    },
  },
  ru = {
    wait = {
      "новый", "новая", "недозвон", "не дозвонились", "нет ответа", "не отвечает",
      "перезвонить", "перезвон", "обратный звонок", "в работе", "занято", "автоответчик",
    },
    hold = { "холд", "в холде" },
    approve = { "депозит", "депозит внесен", "подтвержден", "подтверждено", "одобрен", "одобрено", "продажа" },
    cancel = {
      "не интересно", "не интересует", "нет интереса", "отказ", "отказался", "отклонен",
      "отклонено", "отмена", "отменен", "не звонить", "нет денег",
    },
    trash = {
      "неверный номер", "неправильный номер", "неверные данные", "дубль", "дубликат", "фейк",
      "тест", "спам", "несовершеннолетний", "невалид",
    },
  },
  es = {
    wait = {
      "nuevo", "no contesta", "sin respuesta", "no responde", "volver a llamar",
      "llamar mas tarde", "devolver llamada", "en proceso", "ocupado", "buzon de voz", "interesado",
    },
    hold = { "en espera" },
    approve = { "deposito", "depositado", "aprobado", "convertido", "venta" },
    cancel = {
      "no interesado", "sin interes", "no le interesa", "rechazado", "cancelado", "no llamar",
      "sin dinero",
    },
    trash = {
      "numero equivocado", "numero incorrecto", "numero invalido", "invalido", "duplicado",
      "falso", "prueba", "menor de edad",
    },
  },
  pt = {
    wait = {
      "novo", "nao atende", "sem resposta", "nao responde", "retornar", "ligar depois",
      "ligar mais tarde", "em andamento", "ocupado", "caixa postal", "interessado",
    },
    hold = { "em espera" },
    approve = { "deposito", "depositado", "aprovado", "convertido", "venda" },
    cancel = {
      "sem interesse", "nao interessado", "nao tem interesse", "recusado", "cancelado",
      "nao ligar", "sem dinheiro",
    },
    trash = {
      "numero errado", "numero invalido", "invalido", "duplicado", "falso", "teste",
      "menor de idade",
    },
  },
}

-- Code points folded to their base letter: Latin letters with accents to ASCII, Cyrillic
-- capitals to small letters ("ё" and "Ё" to "е").
local FOLD = {}
do
  local latin = {
    a = "ÀÁÂÃÄÅàáâãäå", c = "Çç", e = "ÈÉÊËèéêë", i = "ÌÍÎÏìíîï", n = "Ññ",
    o = "ÒÓÔÕÖØòóôõöø", u = "ÙÚÛÜùúûü", y = "Ýýÿ",
  }
  for base, letters in pairs(latin) do
    for _, code in utf8.codes(letters) do FOLD[code] = base end
  end
  for code = 0x0410, 0x042F do FOLD[code] = utf8.char(code + 0x20) end  -- А-Я -> а-я
  for code = 0x0400, 0x040F do FOLD[code] = utf8.char(code + 0x50) end  -- Ѐ-Џ -> ѐ-џ
  FOLD[0x0401], FOLD[0x0451] = "е", "е"                                 -- Ё, ё -> е
end

--- The normal form of a raw status: lower case, accents and "ё" folded, runs of spaces
-- and ASCII punctuation read as one space, trimmed. nil for a value that is not a string
-- or a number, or that is empty once trimmed.
---@param raw any
---@return string|nil
function M.normalize(raw)
  if type(raw) == "number" then raw = tostring(raw) end
  if type(raw) ~= "string" then return nil end
  local text = raw:lower()
  if text:find("[\128-\255]") and utf8.len(text) then
    local out = {}
    for _, code in utf8.codes(text) do
      out[#out + 1] = FOLD[code] or utf8.char(code)
    end
    text = table.concat(out)
  end
  text = text:gsub("[%s%p]+", " "):match("^ *(.-) *$")
  if text == "" then return nil end
  return text
end

local function add(map, word, stage, where)
  if not M.STAGES[stage] then
    error("lib.status: " .. where .. ": \"" .. tostring(stage) .. "\" is not a stage (wait, hold, approve, cancel, trash)", 3)
  end
  local key = M.normalize(word)
  if not key then error("lib.status: " .. where .. ": an empty status word", 3) end
  local known = map[key]
  if known and known ~= stage then
    error("lib.status: " .. where .. ": \"" .. key .. "\" is both " .. known .. " and " .. stage, 3)
  end
  map[key] = stage
end

-- Normal form -> stage, from every language.
local BY_WORD = {}
for language, stages in pairs(WORDS) do
  for stage, words in pairs(stages) do
    for _, word in ipairs(words) do add(BY_WORD, word, stage, language) end
  end
end

--- The stage of a raw call-centre status, or nil when the word is not known.
---@param raw any
---@return leadrelay.Stage|nil
function M.stage(raw)
  local key = M.normalize(raw)
  return key and BY_WORD[key] or nil
end

--- A stage function that reads `words` (raw status -> stage, the script's own) before the
-- shared ones; nil for a word neither knows. A word or stage that is not usable raises
-- (at load time, where the script builds it).
---@param words table<string, leadrelay.Stage>
---@return fun(raw: any): leadrelay.Stage|nil
function M.extend(words)
  local own = {}
  for word, stage in pairs(words) do add(own, word, stage, "extend") end
  return function(raw)
    local key = M.normalize(raw)
    if not key then return nil end
    return own[key] or BY_WORD[key]
  end
end

return M
