// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Byte sources for blob store tests.

#include <cstddef>
#include <string>

#include "core/stream.hpp"

namespace cm::test {

// Hands out a string, at most `step` bytes per read.
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string content, std::size_t step = SIZE_MAX)
      : content_(std::move(content)), step_(step) {}
  std::size_t read(char* out, std::size_t capacity) override;

 private:
  std::string content_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

// `size` bytes of deterministic pseudo-random content (incompressible, every byte value).
std::string random_bytes(std::size_t size, unsigned seed = 42);

// Reads a source to its end in odd-sized pieces.
std::string read_all(ByteSource& source, std::size_t piece = 65'537);

}  // namespace cm::test
