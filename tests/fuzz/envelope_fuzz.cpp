// SPDX-License-Identifier: AGPL-3.0-or-later
// The envelope content stream (src/core/envelope): a fixed test key decrypts the input as a
// stored blob, and the input is also encrypted, tampered with as its first bytes say, and
// decrypted again. Properties: decryption throws cm::Error (internal, kContentAuthFailed) or
// nothing, and hostile ciphertext never decrypts; an untouched stream decrypts to exactly the
// plaintext, read whole or after skip(); any change to it (a flipped bit, a cut, an extra byte)
// is an authentication failure before a byte of the changed chunk is returned; the size
// functions are inverse.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/envelope.hpp"
#include "fuzz_support.hpp"

using namespace cm;
using namespace cm::envelope;

namespace {

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes, std::size_t step) : bytes_(bytes), step_(step) {}
  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t n = std::min({capacity, bytes_.size(), step_});
    std::memcpy(out, bytes_.data(), n);
    bytes_.remove_prefix(n);
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t step_;
};

const SecretKey& test_key() {
  static const SecretKey key = SecretKey::from_bytes("0123456789abcdef0123456789abcdef");
  return key;
}

// Decrypts all of `cipher` (read in pieces of `step` bytes), skipping `skip` bytes first.
// False on an authentication failure; any other failure aborts.
bool decrypt(std::string_view cipher, std::size_t step, std::uint64_t skip, std::string& out) {
  out.clear();
  try {
    MemorySource source(cipher, step);
    DecryptingSource plain(source, test_key());
    if (skip > 0) (void)plain.skip(skip);
    char buffer[4096];
    while (const std::size_t n = plain.read(buffer, 1 + step % sizeof buffer))
      out.append(buffer, n);
    return true;
  } catch (const Error& e) {
    CM_FUZZ_CHECK(e.kind() == ErrorKind::internal && e.detail() == kContentAuthFailed);
    return false;
  }
}

std::string encrypt(std::string_view plain) {
  MemorySource source(plain, 1000);
  EncryptingSource cipher(source, test_key());
  std::string out;
  char buffer[8192];
  while (const std::size_t n = cipher.read(buffer, sizeof buffer)) out.append(buffer, n);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::as_text(data, size);
  std::string out;
  fuzz::only_cm_errors([&] {
    // Hostile ciphertext: nobody without the key can make it authenticate.
    CM_FUZZ_CHECK(!decrypt(input, 1 + size % 300, 0, out));
    if (const auto n = plaintext_size(size)) CM_FUZZ_CHECK(ciphertext_size(*n) == size);

    if (size < 4) return;
    std::uint32_t control = 0;
    std::memcpy(&control, data, 4);
    const auto plain = input.substr(4);
    // Across a chunk boundary now and then: repeat the plaintext past 64 KiB.
    std::string text(plain);
    if ((control & 0x80000000u) != 0 && !plain.empty())
      while (text.size() < kChunkBytes + 100) text += plain;
    const std::string cipher = encrypt(text);
    CM_FUZZ_CHECK(cipher.size() == ciphertext_size(text.size()));
    CM_FUZZ_CHECK(plaintext_size(cipher.size()) == text.size());

    // Read in pieces of 1 to 4096 bytes (odd sizes find boundary bugs, large ones are fast);
    // past a chunk boundary at least 64, or three passes over 64 KiB byte by byte cost ~4 ms.
    const std::size_t smallest = text.size() > kChunkBytes ? 64 : 1;
    const std::size_t step = smallest + (control & 0xfff);
    CM_FUZZ_CHECK(decrypt(cipher, step, 0, out) && out == text);
    const std::uint64_t skip = (control >> 12) % (text.size() + 2);
    CM_FUZZ_CHECK(decrypt(cipher, step, skip, out));
    CM_FUZZ_CHECK(out == std::string_view(text).substr(std::min<std::uint64_t>(skip, text.size())));

    std::string changed = cipher;
    const std::size_t at = (control >> 8) % cipher.size();
    switch ((control >> 28) & 3) {
      case 0:
        changed[at] = static_cast<char>(changed[at] ^ (1 << ((control >> 4) & 7)));
        break;
      case 1:
        changed.resize(at);
        break;
      case 2:
        changed.insert(at, 1, static_cast<char>(control));
        break;
      default:
        changed += static_cast<char>(control);
        break;
    }
    CM_FUZZ_CHECK(!decrypt(changed, step, 0, out));
  });
  return 0;
}
