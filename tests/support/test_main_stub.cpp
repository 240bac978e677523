// SPDX-License-Identifier: AGPL-3.0-or-later
// Keeps cm_test_support non-empty while the support code is being written.
namespace cm::test {
int support_library_anchor = 0;
}
