// SPDX-License-Identifier: AGPL-3.0-or-later
#include "support/build_paths.hpp"

namespace cm::test {

const std::string& source_dir() {
  static const std::string path = CM_SOURCE_DIR;
  return path;
}

const std::string& server_binary() {
  static const std::string path = CM_BINARY_PATH;
  return path;
}

}  // namespace cm::test
