// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Where the checkout and the built server binary are. Defined in one file
// (tests/build_paths/build_paths.cpp) compiled with the two absolute paths, so every other test
// file is the same text in every clone and compiles from a shared ccache.

#include <string>

namespace cm::test {

const std::string& source_dir();      // the checkout's root, e.g. for tests/fixtures/...
const std::string& server_binary();   // the contractmgmt executable of this build

}  // namespace cm::test
