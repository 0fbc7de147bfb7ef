---@meta
-- LeadRelay editor definitions (LuaLS): the host module `crypto`. Strings are raw bytes;
-- numbers are taken as their tostring.

---@class leadrelay.crypto
crypto = {}

---Lower-case hex MD5.
---@param s string
---@return string
function crypto.md5(s) end

---Lower-case hex SHA-1.
---@param s string
---@return string
function crypto.sha1(s) end

---Lower-case hex SHA-256.
---@param s string
---@return string
function crypto.sha256(s) end

---Lower-case hex SHA-512.
---@param s string
---@return string
function crypto.sha512(s) end

---Lower-case hex HMAC of `data` with `key`.
---@param alg "md5"|"sha1"|"sha256"|"sha512"
---@param key string
---@param data string
---@return string
function crypto.hmac(alg, key, data) end

---RFC 4648 Base64, standard alphabet, padded.
---@param s string
---@return string
function crypto.base64_encode(s) end

---Strict RFC 4648 Base64 decoding; invalid input gives nil and a message.
---@param s string
---@return string|nil bytes
---@return string? err
function crypto.base64_decode(s) end

---RFC 4648 section 5 (`-`, `_`), unpadded, as JWTs use.
---@param s string
---@return string
function crypto.base64url_encode(s) end

---The bytes of `s` as lower-case hex.
---@param s string
---@return string
function crypto.hex(s) end

---A random version 4 UUID, lower case.
---@return string
function crypto.uuid() end

---`n` (1 to 4096) random letters and digits from the system's secure generator.
---@param n integer
---@return string
function crypto.random_string(n) end
