// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// A stored document's plaintext as an HTTP response body: document downloads and the signing
// page's document stream it the same way.

#include <cstdint>
#include <memory>

#include "core/stream.hpp"
#include "http/response.hpp"

namespace cm::api {

// The plaintext from `source` as an HTTP body of exactly `size` bytes.
class ContentBody final : public http::BodySource {
 public:
  ContentBody(std::unique_ptr<ByteSource> source, std::uint64_t size)
      : source_(std::move(source)), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::size_t read(char* out, std::size_t capacity) override {
    return source_->read(out, capacity);
  }

 private:
  std::unique_ptr<ByteSource> source_;
  std::uint64_t size_;
};

}  // namespace cm::api
