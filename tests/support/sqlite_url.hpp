// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Fresh SQLite databases whatever CM_TEST_BACKEND says, for unit tests of the code above the store,
// which need a real database but no server (defined in test_env.cpp, next to the files of
// fresh_database_url). Kept out of test_env.hpp so that the integration suites do not depend on it.

#include <string>

namespace cm::test {

// A URL for a new SQLite file in the per-process temp directory (removed at exit).
std::string fresh_sqlite_url(std::string prefix);

}  // namespace cm::test
