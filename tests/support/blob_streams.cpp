// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/blob_streams.hpp"

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

namespace cm::test {

std::size_t StringSource::read(char* out, std::size_t capacity) {
  const std::size_t n = std::min({capacity, step_, content_.size() - pos_});
  std::memcpy(out, content_.data() + pos_, n);
  pos_ += n;
  return n;
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937_64 random(seed);
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; i += 8) {
    const std::uint64_t value = random();
    std::memcpy(out.data() + i, &value, std::min<std::size_t>(8, size - i));
  }
  return out;
}

std::string read_all(ByteSource& source, std::size_t piece) {
  std::string out;
  std::vector<char> buffer(piece);
  while (true) {
    const std::size_t n = source.read(buffer.data(), buffer.size());
    if (n == 0) return out;
    out.append(buffer.data(), n);
  }
}

}  // namespace cm::test
