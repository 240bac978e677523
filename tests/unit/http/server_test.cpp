// SPDX-License-Identifier: AGPL-3.0-or-later
// Drives a real Server over loopback with plain POSIX sockets.

#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cm::http {
namespace {

using namespace std::chrono_literals;

// ---- A tiny blocking HTTP/1.1 client ----------------------------------------------------------

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "<absent>" : it->second;
  }
};

class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};  // a hung server fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect failed");
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  ClientResponse request(const std::string& method, const std::string& target,
                         const std::string& extra_headers = "", const std::string& body = "") {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers;
    if (!body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    send(req + "\r\n" + body);
    return read_response(method == "HEAD");
  }

  ClientResponse read_response(bool head = false) {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) throw std::runtime_error("connection closed before headers: " + buffer_);
    ClientResponse r;
    const std::string head_text = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    std::size_t line_end = head_text.find("\r\n");
    r.status = std::stoi(head_text.substr(9, 3));
    while (line_end != std::string::npos) {
      const auto start = line_end + 2;
      line_end = head_text.find("\r\n", start);
      const auto line = head_text.substr(
          start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const auto colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    if (head || r.status == 304 || r.status == 204) return r;
    const auto length = std::stoull(r.header("content-length"));
    while (buffer_.size() < length)
      if (!fill()) throw std::runtime_error("connection closed in body");
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True when the server closed the connection (EOF or reset) within the receive timeout.
  bool closed_by_server() {
    char c;
    const auto n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }
  bool readable_within(std::chrono::milliseconds timeout) {
    if (!buffer_.empty()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
  }
  void close() {
    ::close(fd_);
    fd_ = -1;
  }

 private:
  bool fill() {
    char chunk[65536];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  int fd_ = -1;
  std::string buffer_;
};

bool can_connect(std::uint16_t port) {
  try {
    Client c(port);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

// ---- The server under test --------------------------------------------------------------------

class PatternSource : public BodySource {
 public:
  explicit PatternSource(std::uint64_t size) : size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::size_t read(char* out, std::size_t capacity) override {
    std::size_t n = 0;
    // Deliberately odd chunk sizes to exercise the server's loop.
    capacity = std::min<std::size_t>(capacity, 10'007);
    while (n < capacity && pos_ < size_) out[n++] = static_cast<char>(pos_++ * 31 % 251);
    return n;
  }
  static std::string expected(std::uint64_t size) {
    std::string s(size, '\0');
    for (std::uint64_t i = 0; i < size; ++i) s[i] = static_cast<char>(i * 31 % 251);
    return s;
  }

 private:
  std::uint64_t size_;
  std::uint64_t pos_ = 0;
};

// A one-shot gate a handler can wait on, with a signal that the handler got there.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  int entered = 0;
  bool open = false;
  void enter_and_wait() {
    std::unique_lock lock(m);
    ++entered;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
  }
  bool wait_entered(int n) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, 5s, [&] { return entered >= n; });
  }
  void release() {
    std::lock_guard lock(m);
    open = true;
    cv.notify_all();
  }
};

Response app(Request& r, Gate* gate) {
  if (r.path == "/slow") {
    if (gate) gate->enter_and_wait();
    std::this_thread::sleep_for(300ms);
    return Response::text(200, "slow done");
  }
  if (r.path == "/block") {
    gate->enter_and_wait();
    return Response::text(200, "unblocked");
  }
  if (r.path == "/stream") {
    Response res;
    res.headers.set("Content-Type", "application/octet-stream");
    res.stream = std::make_shared<PatternSource>(1024 * 1024);
    return res;
  }
  if (r.path == "/throw") throw std::runtime_error("boom with secret details");
  if (r.path == "/missing") return Response::json(404, R"({"status":404})");
  if (r.path == "/only-get") {
    auto res = Response::json(405, R"({"status":405})");
    res.headers.set("Allow", "GET, HEAD");
    return res;
  }
  if (r.path == "/close") {
    auto res = Response::text(200, "bye");
    res.close_connection = true;
    return res;
  }
  if (r.path == "/notmodified") return Response::empty(304);
  if (r.path == "/spool") {
    if (!r.spooled) return Response::text(200, "no spooled body; body=" + r.body);
    std::ifstream in(r.spooled->path(), std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), {});
    return Response::text(
        200, "spooled " + std::to_string(r.spooled->size()) + " " + std::to_string(content.size()) +
                 " " + r.spooled->path() +
                 (content == PatternSource::expected(content.size()) ? " pattern" : " other"));
  }
  std::string echo = r.method + " " + r.path + " ip=" + r.remote_ip + " body=" + r.body;
  for (const auto& [k, v] : r.query) echo += " q[" + k + "]=" + v;
  if (auto h = r.header("X-Test")) echo += " x-test=" + std::string(*h);
  auto res = Response::text(200, echo);
  res.headers.set("X-App", "1");
  return res;
}

Response error_responder(int status, std::string_view detail) {
  auto r = Response::json(status, R"({"status":)" + std::to_string(status) + R"(,"detail":")" +
                                      std::string(detail) + R"("})");
  r.headers.set("Content-Type", "application/problem+json");
  return r;
}

ServerOptions test_options() {
  ServerOptions o;
  o.bind_address = "127.0.0.1";
  o.port = 0;
  o.io_threads = 2;
  o.handler_threads = 4;
  o.max_body_bytes = 1024 * 1024;
  o.keep_alive_timeout = 3s;
  o.drain_idle_grace = 200ms;
  o.shutdown_timeout = 3s;
  return o;
}

// Uploads to /spool go to a file, up to 4 MiB; everything else stays in memory (1 MiB).
BodyPolicy spool_policy(std::string_view, std::string_view path) {
  if (path == "/spool") return {4 * 1024 * 1024, true};
  return {1024 * 1024, false};
}

class RunningServer {
 public:
  explicit RunningServer(ServerOptions options = test_options(), Gate* gate = nullptr)
      : server_(
            std::move(options), [gate](Request& r) { return app(r, gate); }, error_responder) {
    server_.set_body_policy(spool_policy);
    server_.listen();
    thread_ = std::thread([this] {
      server_.run([this] { ++drain_calls_; });
      returned_ = true;
    });
  }
  ~RunningServer() {
    server_.shutdown();
    join();
  }
  void join() {
    if (thread_.joinable()) thread_.join();
  }
  // Waits for run() to return; false on timeout.
  bool wait_returned(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!returned_ && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    return returned_;
  }
  bool wait_open_connections(std::int64_t n, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (server_.open_connections() != n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    return server_.open_connections() == n;
  }
  Server& server() { return server_; }
  std::uint16_t port() const { return server_.port(); }
  int drain_calls() const { return drain_calls_; }

 private:
  Server server_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
  std::atomic<int> drain_calls_{0};
};

// ---- Tests ------------------------------------------------------------------------------------

TEST(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer s;
  EXPECT_NE(s.port(), 0);
  Client c(s.port());
  for (int i = 0; i < 3; ++i) {
    const auto r = c.request("GET", "/hello/" + std::to_string(i));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "GET /hello/" + std::to_string(i) + " ip=127.0.0.1 body=");
    EXPECT_EQ(r.header("x-app"), "1");
    EXPECT_EQ(r.header("server"), "<absent>");
    EXPECT_NE(r.header("date"), "<absent>");
    EXPECT_NE(r.header("connection"), "close");
  }
  EXPECT_EQ(s.server().open_connections(), 1);
}

TEST(ServerTest, DecodesPathAndQueryAndPassesBodyAndHeaders) {
  RunningServer s;
  Client c(s.port());
  const auto r =
      c.request("POST", "/a%20b/%C3%BC?x=1&y=hello+world&z=%26&flag", "X-Test: yes\r\n", "payload");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            "POST /a b/\xC3\xBC ip=127.0.0.1 body=payload q[x]=1 q[y]=hello world q[z]=& q[flag]= "
            "x-test=yes");
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer s;
  Client c(s.port());
  c.send("GET /one HTTP/1.1\r\nHost: t\r\n\r\nGET /two HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(c.read_response().body, "GET /one ip=127.0.0.1 body=");
  EXPECT_EQ(c.read_response().body, "GET /two ip=127.0.0.1 body=");
}

TEST(ServerTest, TooLargeBodyIsRefusedBeforeItIsSent) {
  RunningServer s;
  Client c(s.port());
  // Only the headers are sent: the answer must not wait for the 100 MB.
  c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\nfirst bytes");
  const auto r = c.read_response();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(c.closed_by_server());
}

TEST(ServerTest, TooLargeChunkedBodyIs413) {
  RunningServer s;
  Client c(s.port());
  const std::string chunk(600 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  c.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  c.send(size_line + chunk + "\r\n" + size_line + chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 413);
}

ServerOptions spooling_options(const std::filesystem::path& dir) {
  auto o = test_options();
  o.spool_dir = dir.string();
  return o;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cm-spool-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  bool empty() const { return std::filesystem::is_empty(path); }
};

TEST(ServerTest, SpoolingRouteWritesTheBodyToAFileRemovedAfterTheResponse) {
  TempDir dir;
  RunningServer s(spooling_options(dir.path));
  Client c(s.port());
  const auto body = PatternSource::expected(3 * 1024 * 1024 + 17);  // above the 1 MiB default
  const auto r = c.request("POST", "/spool", "", body);
  ASSERT_EQ(r.status, 200);
  const std::string size = std::to_string(body.size());
  EXPECT_EQ(r.body.substr(0, 8 + 2 * size.size() + 1), "spooled " + size + " " + size);
  EXPECT_NE(r.body.find(dir.path.string() + "/cm-upload-"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(" pattern"), std::string::npos);
  EXPECT_TRUE(dir.empty());
  // Other routes keep their in-memory bodies and their own limit.
  EXPECT_EQ(c.request("POST", "/echo", "", "small").body, "POST /echo ip=127.0.0.1 body=small");
}

TEST(ServerTest, SpoolingRouteAcceptsChunkedBodies) {
  TempDir dir;
  RunningServer s(spooling_options(dir.path));
  Client c(s.port());
  const auto body = PatternSource::expected(200'000);
  c.send("POST /spool HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", body.size() / 2);
  c.send(size_line + body.substr(0, body.size() / 2) + "\r\n");
  c.send(size_line + body.substr(body.size() / 2) + "\r\n0\r\n\r\n");
  const auto r = c.read_response();
  EXPECT_EQ(r.body.substr(0, 21), "spooled 200000 200000");
  EXPECT_NE(r.body.find(" pattern"), std::string::npos);
  EXPECT_TRUE(dir.empty());
}

TEST(ServerTest, SpoolingRouteLimitIs413BeforeTheBodyAndLeavesNoFile) {
  TempDir dir;
  RunningServer s(spooling_options(dir.path));
  Client c(s.port());
  c.send("POST /spool HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\nfirst bytes");
  EXPECT_EQ(c.read_response().status, 413);
  EXPECT_TRUE(dir.empty());
}

// A full DATA_DIR/tmp (ENOSPC) and a file size limit (EFBIG) fail the same write; RLIMIT_FSIZE
// makes the latter happen here without a small filesystem (the chaos trials use a real one).
TEST(ServerTest, SpoolWithoutRoomIsA503WithRetryAfterAndLeavesNoFile) {
  TempDir dir;
  RunningServer s(spooling_options(dir.path));
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG
  rlimit small = saved;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  Client c(s.port());
  // More than the usual 1 MiB linger: the client still sends when the server has answered.
  const auto r = c.request("POST", "/spool", "", PatternSource::expected(3 * 1024 * 1024));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_TRUE(dir.empty());
}

TEST(ServerTest, SpooledBodyCutShortLeavesNoFile) {
  TempDir dir;
  RunningServer s(spooling_options(dir.path));
  {
    Client c(s.port());
    c.send("POST /spool HTTP/1.1\r\nHost: t\r\nContent-Length: 3000000\r\n\r\n" +
           std::string(100'000, 'x'));
    std::this_thread::sleep_for(100ms);
  }  // the client goes away mid-body
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!dir.empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(dir.empty());
}

TEST(ServerTest, SpoolingRouteWithoutBodyHasNoSpooledFile) {
  TempDir dir;
  RunningServer s(spooling_options(dir.path));
  Client c(s.port());
  EXPECT_EQ(c.request("POST", "/spool", "Content-Length: 0\r\n").body, "no spooled body; body=");
}

TEST(ServerTest, TooLargeHeaderIs431) {
  RunningServer s;
  Client c(s.port());
  c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20 * 1024, 'a') + "\r\n\r\n");
  const auto r = c.read_response();
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.header("connection"), "close");
}

TEST(ServerTest, MalformedRequestsAre400) {
  RunningServer s;
  for (const char* raw : {"GET /x HTTP/9.9\r\n\r\n", "GET http://evil.example/x HTTP/1.1\r\n\r\n",
                          "GET /x%00y HTTP/1.1\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n"}) {
    Client c(s.port());
    c.send(raw);
    const auto r = c.read_response();
    EXPECT_EQ(r.status, 400) << raw;
    EXPECT_EQ(r.header("connection"), "close") << raw;
    EXPECT_TRUE(c.closed_by_server()) << raw;
  }
}

// RFC 9112 6.3: a request whose final transfer coding is not chunked has no knowable length. Read
// as an empty body, the bytes after the head would run as a second request that a front proxy
// never saw (request smuggling): the server answers once and closes instead.
TEST(ServerTest, TransferEncodingThatDoesNotEndInChunkedIsRefusedAndClosed) {
  RunningServer s;
  const std::vector<std::pair<std::string, int>> cases = {
      {"xchunked", 400},      {"identity", 400},         {"gzip", 400}, {"chunked, identity", 400},
      {"gzip, chunked", 501}, {"chunked, chunked", 400}, {"", 400}};
  for (const auto& [coding, status] : cases) {
    Client c(s.port());
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + coding +
           "\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto r = c.read_response();
    EXPECT_EQ(r.status, status) << coding;
    EXPECT_EQ(r.header("connection"), "close") << coding;
    EXPECT_TRUE(c.closed_by_server()) << coding << ": a second response followed";
  }
}

TEST(ServerTest, TransferEncodingWithContentLengthIsRefused) {
  RunningServer s;
  Client c(s.port());
  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 400);
  EXPECT_TRUE(c.closed_by_server());
}

TEST(ServerTest, ChunkedBodiesStillWork) {
  RunningServer s;
  Client c(s.port());
  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  const auto r = c.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "POST /echo ip=127.0.0.1 body=abc");
}

// RFC 9110 9.1: methods are case-sensitive; `get` is not GET, so it must never reach a route.
TEST(ServerTest, MethodNamesAreCaseSensitive) {
  RunningServer s;
  for (const char* method : {"get", "delete", "Post", "BREW"}) {
    Client c(s.port());
    c.send(std::string(method) + " /echo HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto r = c.read_response();
    EXPECT_EQ(r.status, 501) << method;
    EXPECT_EQ(r.body.find("/echo ip="), std::string::npos) << method << " reached the application";
  }
}

TEST(ServerTest, RequestsWithoutOneHostAreRefused) {
  RunningServer s;
  for (const char* raw :
       {"GET /echo HTTP/1.1\r\n\r\n", "GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /echo HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"}) {
    Client c(s.port());
    c.send(raw);
    EXPECT_EQ(c.read_response().status, 400) << raw;
    EXPECT_TRUE(c.closed_by_server()) << raw;
  }
  Client c(s.port());
  c.send("GET /echo HTTP/1.0\r\n\r\n");  // HTTP/1.0 has no Host requirement
  EXPECT_EQ(c.read_response().status, 200);
}

// The 16 KiB limit is for the whole head, not for each field.
TEST(ServerTest, HeaderLimitCountsAllFieldsTogether) {
  RunningServer s;
  Client c(s.port());
  const std::string half(10 * 1024, 'a');
  c.send("GET /echo HTTP/1.1\r\nHost: t\r\nX-One: " + half + "\r\nX-Two: " + half + "\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 431);
  Client under(s.port());
  EXPECT_EQ(under
                .request("GET", "/echo",
                         "X-One: " + std::string(6 * 1024, 'a') +
                             "\r\nX-Two: " + std::string(6 * 1024, 'a') + "\r\n")
                .status,
            200);
}

TEST(ServerTest, NulInAQueryParameterIsRefusedNamingIt) {
  RunningServer s;
  Client c(s.port());
  const auto r = c.request("GET", "/echo?q=a%00b");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("query parameter q"), std::string::npos) << r.body;
}

TEST(ServerTest, ApplicationFailuresAreReportedWithThePeer) {
  std::mutex m;
  std::vector<std::string> reports;
  ServerOptions options = test_options();
  Server server(
      options, [](Request& r) { return app(r, nullptr); }, error_responder);
  server.set_error_reporter(
      [&](std::string_view what, std::string_view ip, std::string_view error) {
        std::lock_guard lock(m);
        reports.push_back(std::string(what) + " " + std::string(ip) + " " + std::string(error));
      });
  server.listen();
  std::thread runner([&] { server.run(); });
  {
    Client c(server.port());
    EXPECT_EQ(c.request("GET", "/throw").status, 500);
  }
  server.shutdown();
  runner.join();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports.front(), "application failed 127.0.0.1 boom with secret details");
}

TEST(ServerTest, ApplicationStatusesPassThrough) {
  RunningServer s;
  Client c(s.port());
  EXPECT_EQ(c.request("GET", "/missing").status, 404);
  const auto r = c.request("DELETE", "/only-get");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, HEAD");
  const auto not_modified = c.request("GET", "/notmodified");
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.header("content-length"), "<absent>");
  // The connection is still usable after each of them.
  EXPECT_EQ(c.request("GET", "/ok").status, 200);
}

TEST(ServerTest, ApplicationExceptionBecomesGeneric500) {
  RunningServer s;
  Client c(s.port());
  const auto r = c.request("GET", "/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(c.request("GET", "/ok").status, 200);
}

TEST(ServerTest, HeadSendsHeadersOnly) {
  RunningServer s;
  Client c(s.port());
  const auto head = c.request("HEAD", "/hello");
  EXPECT_EQ(head.status, 200);
  // The application answered HEAD like GET; only the length of that body is sent.
  EXPECT_EQ(head.header("content-length"),
            std::to_string(std::string_view("HEAD /hello ip=127.0.0.1 body=").size()));
  const auto head_stream = c.request("HEAD", "/stream");
  EXPECT_EQ(head_stream.header("content-length"), std::to_string(1024 * 1024));
  // Had any body bytes followed, this response would not parse.
  const auto get = c.request("GET", "/hello");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "GET /hello ip=127.0.0.1 body=");
}

TEST(ServerTest, StreamedBodyArrivesIntact) {
  RunningServer s;
  Client c(s.port());
  const auto r = c.request("GET", "/stream");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), std::to_string(1024 * 1024));
  EXPECT_EQ(r.header("transfer-encoding"), "<absent>");
  EXPECT_TRUE(r.body == PatternSource::expected(1024 * 1024));
  EXPECT_EQ(c.request("GET", "/after").status, 200);
}

TEST(ServerTest, ConnectionCloseIsHonoured) {
  RunningServer s;
  {
    Client c(s.port());
    const auto r = c.request("GET", "/x", "Connection: close\r\n");
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    Client c(s.port());
    const auto r = c.request("GET", "/close");
    EXPECT_EQ(r.body, "bye");
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_TRUE(c.closed_by_server());
  }
}

TEST(ServerTest, IdleKeepAliveConnectionIsClosedByTheServer) {
  auto options = test_options();
  options.keep_alive_timeout = 300ms;
  RunningServer s(options);
  Client c(s.port());
  EXPECT_EQ(c.request("GET", "/x").status, 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_server());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 2s);
  EXPECT_TRUE(s.wait_open_connections(0, 2s));
}

TEST(ServerTest, SilentConnectionIsClosedAfterKeepAliveTimeout) {
  auto options = test_options();
  options.keep_alive_timeout = 200ms;
  options.header_timeout = 300ms;
  RunningServer s(options);
  Client idle(s.port());
  Client partial(s.port());
  partial.send("GET /x HTTP/1.1\r\nHost: t\r\n");  // headers never finish
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(partial.closed_by_server());
}

TEST(ServerTest, ServiceUnavailableWhenTooManyRequestsWait) {
  auto options = test_options();
  options.handler_threads = 1;
  options.max_pending_requests = 1;
  Gate gate;
  RunningServer s(options, &gate);
  Client first(s.port()), second(s.port()), third(s.port());
  first.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(gate.wait_entered(1));  // the only handler thread is now busy
  second.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
  third.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
  // Exactly one of them can wait for the handler thread; the other is refused at once.
  Client* refused = nullptr;
  Client* waiting = nullptr;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    if (second.readable_within(10ms))
      refused = &second, waiting = &third;
    else if (third.readable_within(10ms))
      refused = &third, waiting = &second;
  }
  ASSERT_NE(refused, nullptr);
  const auto busy = refused->read_response();
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.header("content-type"), "application/problem+json");
  EXPECT_FALSE(waiting->readable_within(50ms));
  gate.release();
  EXPECT_EQ(first.read_response().body, "unblocked");
  EXPECT_EQ(waiting->read_response().body, "unblocked");
  // A refused connection stays usable.
  EXPECT_EQ(refused->request("GET", "/ok").status, 200);
}

TEST(ServerTest, ShutdownLetsInFlightRequestsFinish) {
  Gate gate;
  gate.release();  // only used to learn that the slow handler started
  RunningServer s(test_options(), &gate);
  Client busy(s.port());
  Client idle(s.port());
  EXPECT_EQ(idle.request("GET", "/warm").status, 200);
  busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(gate.wait_entered(1));
  s.server().shutdown();
  s.server().shutdown();  // idempotent

  const auto r = busy.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(busy.closed_by_server());
  busy.close();
  // The idle keep-alive connection is closed after the grace period.
  EXPECT_TRUE(idle.closed_by_server());
  idle.close();

  EXPECT_TRUE(s.wait_returned(3s));
  EXPECT_EQ(s.drain_calls(), 1);
  EXPECT_EQ(s.server().open_connections(), 0);
  EXPECT_FALSE(can_connect(s.port()));
}

TEST(ServerTest, RequestArrivingDuringDrainGraceIsServed) {
  auto options = test_options();
  options.drain_idle_grace = 1s;
  RunningServer s(options);
  Client c(s.port());
  EXPECT_EQ(c.request("GET", "/before").status, 200);
  s.server().shutdown();
  std::this_thread::sleep_for(100ms);  // draining has begun; the connection sits in its grace
  const auto r = c.request("GET", "/late");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(c.closed_by_server());
  c.close();
  EXPECT_TRUE(s.wait_returned(3s));
}

TEST(ServerTest, DrainUnderSteadyLoadFailsNoRequestAlreadySent) {
  RunningServer s;
  constexpr int kClients = 4;
  std::atomic<int> answered{0}, failed{0};
  std::atomic<bool> draining{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      // Keep-alive loop; after a `Connection: close` answer try a new connection, which the
      // draining server refuses. A request written on an open connection must be answered.
      for (;;) {
        std::unique_ptr<Client> c;
        try {
          c = std::make_unique<Client>(s.port());
        } catch (const std::runtime_error&) {
          return;  // refused: the server stopped accepting
        }
        for (bool first = true;; first = false) {
          try {
            c->send("GET /load HTTP/1.1\r\nHost: t\r\n\r\n");
          } catch (const std::runtime_error&) {
            break;  // closed before we wrote: not a failed request
          }
          try {
            const auto r = c->read_response();
            if (r.status == 200)
              ++answered;
            else
              ++failed;
            if (r.header("connection") == "close") break;
          } catch (const std::runtime_error&) {
            // The kernel completes handshakes on its own: a connection made in the instant
            // between the server's last accept and the listening socket's close was never
            // accepted by the server, and is reset. Only that one may fail; a request on a
            // connection the server has answered before must always be answered.
            if (first && draining) return;
            ++failed;
            break;
          }
        }
      }
    });
  }
  while (answered < 200) std::this_thread::sleep_for(1ms);
  draining = true;
  s.server().shutdown();
  for (auto& t : clients) t.join();
  EXPECT_TRUE(s.wait_returned(3s));
  EXPECT_EQ(failed, 0);
  EXPECT_GE(answered, 200);
}

TEST(ServerTest, SigtermStartsTheDrain) {
  RunningServer s;
  {
    Client c(s.port());  // served, so run() has installed its signal handling
    EXPECT_EQ(c.request("GET", "/x", "Connection: close\r\n").status, 200);
  }
  ASSERT_EQ(::raise(SIGTERM), 0);
  EXPECT_TRUE(s.wait_returned(3s));
  EXPECT_EQ(s.drain_calls(), 1);
}

TEST(ServerTest, ShutdownTimeoutForceClosesStuckConnections) {
  auto options = test_options();
  options.shutdown_timeout = 300ms;
  options.header_timeout = 10s;
  options.request_timeout = 10s;
  RunningServer s(options);
  Client stuck(s.port());
  stuck.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly part");
  ASSERT_TRUE(s.wait_open_connections(1, 2s));
  const auto start = std::chrono::steady_clock::now();
  s.server().shutdown();
  EXPECT_TRUE(stuck.closed_by_server());
  EXPECT_TRUE(s.wait_returned(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(ServerTest, ConnectionsAreSpreadOverTheLoopsAndEachStaysOnItsLoop) {
  auto options = test_options();
  options.io_threads = 3;
  Server server(
      options, [](Request&) { return Response::text(200, "pool"); }, error_responder);
  ASSERT_EQ(server.io_contexts().size(), 3u);
  EXPECT_EQ(&server.io_context(), server.io_contexts().front());
  EXPECT_EQ(Server::current_loop_index(), -1);  // not a loop thread
  // The non-blocking path runs on the connection's loop: it answers with that loop's index.
  server.set_async_application([](Request& r, Respond respond) {
    if (r.path != "/loop") return false;
    respond(Response::text(200, std::to_string(Server::current_loop_index())));
    return true;
  });
  server.listen();
  std::thread runner([&] { server.run(); });

  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::string> loop_of;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    loop_of.push_back(clients.back()->request("GET", "/loop").body);
  }
  // Round-robin over the three loops, in order of acceptance.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(loop_of[i], std::to_string(i % 3)) << i;
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(clients[i]->request("GET", "/loop").body, loop_of[i]) << i;
    EXPECT_EQ(clients[i]->request("GET", "/other").body, "pool") << i;
  }

  server.shutdown();
  for (auto& c : clients) EXPECT_TRUE(c->closed_by_server());
  runner.join();  // every loop stops once drained
  EXPECT_EQ(server.open_connections(), 0);
}

TEST(ServerTest, IdleLoopsKeepRunningUntilShutdown) {
  auto options = test_options();
  options.io_threads = 4;
  RunningServer s(options);
  // With no connection at all, run() must not return (no loop exits for want of work).
  EXPECT_FALSE(s.wait_returned(200ms));
  {
    Client c(s.port());
    EXPECT_EQ(c.request("GET", "/x", "Connection: close\r\n").status, 200);
  }
  EXPECT_FALSE(s.wait_returned(100ms));
  s.server().shutdown();
  EXPECT_TRUE(s.wait_returned(3s));
}

TEST(ServerTest, ListenFailureHasAClearMessage) {
  RunningServer s;
  auto options = test_options();
  options.port = s.port();
  Server second(
      options, [](Request&) { return Response::empty(200); }, error_responder);
  try {
    second.listen();
    FAIL() << "expected listen() to throw";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with(
        "cannot listen on 127.0.0.1:" + std::to_string(s.port()) + ": "))
        << e.what();
  }
  options.bind_address = "not-an-address";
  Server third(
      options, [](Request&) { return Response::empty(200); }, error_responder);
  EXPECT_THROW(third.listen(), std::runtime_error);
}

}  // namespace
}  // namespace cm::http
