-- SPDX-License-Identifier: MIT
-- The questions visitors ask (tests/bench/ask.lua, answers.lua): paraphrases of the
-- generated answers (tests/bench/gen.c) written as people type them, in Basque,
-- Spanish and English, about the ten subjects. A draw is skewed (Zipf: the first
-- template and subject are the most asked, as prices and maths are), and a share
-- of visitors (BENCH_ASK_UNIQUE, 0.2) write in something of their own (a name, an
-- age, a date) that no one else asks: those are always answered from the database.
local M = {}

local subjects = {
  eu = {"matematika", "fisika", "kimika", "biologia", "ingelesa", "euskara", "gaztelania",
        "frantsesa", "historia", "ekonomia"},
  es = {"matemáticas", "física", "química", "biología", "inglés", "euskera", "lengua",
        "francés", "historia", "economía"},
  en = {"maths", "physics", "chemistry", "biology", "English", "Basque", "Spanish", "French",
        "history", "economics"},
}

-- "%s": the subject; templates without one are asked once per language.
local templates = {
  eu = {
    "zenbat balio dute %s eskolek?", "%s taldeko eskolak badituzue?",
    "noiz dago irekita telefonoa?", "%s azterketa prestatzeko eskolak?",
    "online egin daitezke %s klaseak?", "%s eskola bat ezeztatu nahi dut",
    "udan %s ikastarorik badago?", "%s irakaslea beti bera izango da?",
    "deskonturik ba al dago %s eskoletan?", "%s etxeko lanak zuzentzen dituzue?",
    "zein mailatan ematen duzue %s?", "nola ordaindu %s ikastaroa",
  },
  es = {
    "¿cuánto cuestan las clases de %s?", "¿tenéis clases de %s en grupo?",
    "¿a qué hora abrís? ¿se puede llamar por teléfono?", "¿preparáis el examen de %s?",
    "¿las clases de %s pueden ser online?", "quiero cancelar mi clase de %s",
    "¿hay cursos de %s en verano?", "¿siempre tendré el mismo profesor de %s?",
    "¿hacéis descuento en %s?", "¿corregís los deberes de %s?",
    "¿en qué niveles dais %s?", "cómo pago el curso de %s",
  },
  en = {
    "how much are %s lessons?", "do you have %s group classes?",
    "when is the phone open?", "can you help me prepare the %s exam?",
    "can I take %s lessons online?", "I need to cancel my %s lesson",
    "are there %s courses in summer?", "will I keep the same %s tutor?",
    "any discount for %s?", "do you correct %s homework?",
    "what levels of %s do you teach?", "how do I pay the %s course",
  },
}
local locales = {"eu", "es", "en"}
local own = {
  eu = {"nire alabak %d urte ditu", "%d. mailan nago", "gaur %d:30etan libre nago"},
  es = {"mi hijo tiene %d años", "estoy en %dº", "hoy estoy libre a las %d:30"},
  en = {"my daughter is %d", "I am in year %d", "I am free today at %d:30"},
}
local names = {"Ane", "Mikel", "Irati", "Unai", "Maite", "Jon", "Amaia", "Peio", "Garazi", "Josu"}

-- Zipf weights 1/k over n items: the cumulative table of each size, once.
local cumulative = {}
local function zipf(n)
  local c = cumulative[n]
  if not c then
    local s = 0
    c = {}
    for k = 1, n do s = s + 1 / k; c[k] = s end
    for k = 1, n do c[k] = c[k] / s end
    cumulative[n] = c
  end
  local r = math.random()
  for k = 1, n do if r <= c[k] then return k end end
  return n
end

M.unique = tonumber(os.getenv("BENCH_ASK_UNIQUE") or "0.2")

-- A question (text) and its language: a drawn template and subject, now and then
-- with a capital or without its question mark (the same words: the same answer),
-- and for a share of visitors something of their own.
function M.draw()
  local locale = locales[math.random(#locales)]
  local t = templates[locale][zipf(#templates[locale])]
  local q = t:find("%%s") and t:format(subjects[locale][zipf(#subjects[locale])]) or t
  if math.random() < 0.3 then q = q:gsub("^%l", string.upper) end
  if math.random() < 0.3 then q = q:gsub("%?$", "") end
  if math.random() < M.unique then
    local pattern = own[locale][math.random(#own[locale])]
    q = q .. " " .. names[math.random(#names)] .. ", " .. pattern:format(math.random(1, 9999))
  end
  return q, locale
end

-- JSON string body text (the questions hold no quote or backslash).
function M.json(s)
  return '"' .. s .. '"'
end

-- A query-string value.
function M.escape(s)
  return (s:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

return M
