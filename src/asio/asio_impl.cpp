// SPDX-License-Identifier: AGPL-3.0-or-later
// The one translation unit that compiles Asio and Beast (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are defined for cm_asio and its users), so the server and the
// asynchronous PostgreSQL client only parse headers.

#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
