// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Pull and push byte streams: how documents move between the HTTP layer, encryption, text
// extraction and object storage without any of them holding a whole file.

#include <cstddef>
#include <string_view>

namespace cm {

// A source of bytes read in pieces. read() fills up to `capacity` bytes and returns how many;
// 0 means the end. Failures throw (cm::Error for what a user or operator can act on).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

// No bytes: a range past the end of a blob, an empty object.
class EmptySource final : public ByteSource {
 public:
  std::size_t read(char*, std::size_t) override { return 0; }
};

// A destination written in pieces. finish() is called once after the last write; a sink that
// is destroyed without finish() discards what it was given (no half-written result is visible).
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(std::string_view bytes) = 0;
  virtual void finish() = 0;
};

}  // namespace cm
