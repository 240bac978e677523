// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/framing.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cm::http {
namespace {

RequestHead head(std::vector<HeadField> fields, unsigned version = 11) {
  RequestHead h;
  h.method = "POST";
  h.target = "/x";
  h.version = version;
  h.fields = std::move(fields);
  return h;
}

int status_of(const RequestHead& h, std::size_t limit = 16 * 1024) {
  const auto error = check_framing(h, limit);
  return error ? error->status : 0;
}

TEST(Framing, OneHostAndNoTransferEncodingIsFine) {
  EXPECT_EQ(status_of(head({{"Host", "a"}, {"Content-Length", "3"}})), 0);
  EXPECT_EQ(status_of(head({}, 10)), 0);
}

TEST(Framing, TransferCodingsOverSeveralLinesAreOneList) {
  EXPECT_EQ(status_of(head(
                {{"Host", "a"}, {"Transfer-Encoding", "gzip"}, {"transfer-encoding", "chunked"}})),
            501);
  EXPECT_EQ(status_of(head(
                {{"Host", "a"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}})),
            400);
  EXPECT_EQ(status_of(head({{"Host", "a"}, {"Transfer-Encoding", " Chunked "}})), 0);
}

TEST(Framing, TransferEncodingInHttp10IsRefused) {
  EXPECT_EQ(status_of(head({{"Transfer-Encoding", "chunked"}}, 10)), 400);
}

TEST(Framing, UnknownMethodIsNotImplemented) {
  auto h = head({{"Host", "a"}});
  h.method_known = false;
  EXPECT_EQ(status_of(h), 501);
}

TEST(Framing, HeadSizeCountsEveryField) {
  const std::string value(600, 'v');
  std::vector<HeadField> fields{{"Host", "a"}};
  for (int i = 0; i < 4; ++i) fields.push_back({"X-F", value});
  EXPECT_EQ(status_of(head(fields), 4096), 0);
  EXPECT_EQ(status_of(head(fields), 2048), 431);
}

}  // namespace
}  // namespace cm::http
