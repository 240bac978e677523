// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Which database backend an integration test binary runs against, and fresh databases for it.
// ctest runs each integration binary twice, with CM_TEST_BACKEND=sqlite and =postgres.

#include <string>

namespace cm::test {

// "sqlite" (the default when CM_TEST_BACKEND is unset) or "postgres"; throws
// std::invalid_argument for anything else, so a typo never silently tests the wrong backend.
std::string test_backend();

// A URL for a new, empty database of the test backend: a SQLite file in a per-process temp
// directory (removed at exit), or a new database on the shared PostgreSQL server.
std::string fresh_database_url(std::string prefix);

}  // namespace cm::test
