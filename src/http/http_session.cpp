// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/http_session.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>

#include "http/framing_beast.hpp"
#include "http/http_date.hpp"
#include "http/standard_headers.hpp"

namespace cm::http::detail {
namespace {

constexpr std::size_t kFirstReadBytes = std::size_t{16} * 1024;
constexpr std::size_t kStreamChunkBytes = std::size_t{64} * 1024;
// After a response that closes the connection we stop sending and discard what the client may
// still be sending (e.g. the rest of a refused upload) for a while, so that closing does not
// reset the connection before the client has read our answer: at most this many bytes, this long.
struct Linger {
  std::size_t bytes = std::size_t{1024} * 1024;
  std::chrono::milliseconds time{1000};
};

// A read error that deserves an answer before closing; nullopt: just close (timeout, EOF, reset).
bool is_storage_full(const error_code& ec) {
  return ec == boost::system::errc::no_space_on_device ||
         ec == boost::system::errc::file_too_large ||
         ec == error_code(EDQUOT, boost::system::system_category());
}

std::optional<int> status_for_read_error(const error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) return 400;
  // The upload spool (DATA_DIR/tmp) is full: the client is told to retry, not cut off.
  if (is_storage_full(ec)) return 503;
  return std::nullopt;
}

std::string_view detail_for(int status) {
  switch (status) {
    case 413:
      return "request body too large";
    case 431:
      return "request header fields too large";
    case 503:
      return "no room to receive the upload, retry later";
    default:
      return "malformed request";
  }
}

bool has_no_body(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

bool safe_header_text(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Fields the server manages itself; an application value would contradict the framing.
bool is_managed_field(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection") || iequals(name, "Keep-Alive") || iequals(name, "Server");
}

template <class Body>
void fill_header(bhttp::response<Body>& out, const Response& in, unsigned version,
                 bool keep_alive) {
  const int status = in.status >= 100 && in.status <= 999 ? in.status : 500;
  out.result(static_cast<unsigned>(status));
  out.version(version);
  bool has_date = false;
  for (const auto& [name, value] : in.headers) {
    if (name.empty() || is_managed_field(name) || !safe_header_text(name) ||
        !safe_header_text(value))
      continue;
    if (iequals(name, "Date")) has_date = true;
    out.insert(name, value);
  }
  if (!has_date) out.set(bhttp::field::date, format_http_date(std::time(nullptr)));
  out.keep_alive(keep_alive);
}

// The X-Request-Id a request's head carries, if any.
template <class Fields>
std::optional<std::string_view> request_id_of(const bhttp::request_header<Fields>& head) {
  const auto it = head.find("X-Request-Id");
  if (it == head.end()) return std::nullopt;
  return std::string_view(it->value());
}

// Why a request target cannot be served: not a valid origin-form (RFC 9112 3.2.1), or a path or
// query parameter that decodes to a NUL (which no text column accepts alike on both databases).
// Empty: it can.
template <class Body>
std::string target_problem(const bhttp::request<Body>& in) {
  const auto url = boost::urls::parse_origin_form(in.target());
  if (!url) return "invalid request target";
  if (url->path().find('\0') != std::string::npos)
    return "the path must not contain a NUL character";
  for (const auto& param : url->params()) {
    if (param.key.find('\0') != std::string::npos)
      return "a query parameter name must not contain a NUL character";
    if (param.value.find('\0') != std::string::npos)
      return "query parameter " + param.key + " must not contain a NUL character";
  }
  return {};
}

// Nullopt when the target is not a valid origin-form (checked with target_problem already).
template <class Body>
std::optional<Request> to_request(bhttp::request<Body>& in, const std::string& remote_ip,
                                  Clock::time_point received_at) {
  const auto url = boost::urls::parse_origin_form(in.target());
  if (!url || !target_problem(in).empty()) return std::nullopt;
  Request out;
  out.method = std::string(in.method_string());  // case-sensitive (RFC 9110 9.1)
  out.target = std::string(in.target());
  out.path = url->path();
  for (const auto& param : url->params()) out.query.emplace_back(param.key, param.value);
  for (const auto& field : in)
    out.headers.add(std::string(field.name_string()), std::string(field.value()));
  if constexpr (std::is_same_v<Body, bhttp::string_body>) out.body = std::move(in.body());
  out.remote_ip = remote_ip;
  out.received_at = received_at;
  return out;
}

// A temporary file for a spooled body; removed unless ownership passes to a SpooledBody.
class SpoolFile {
 public:
  explicit SpoolFile(const std::string& dir) {
    std::string pattern = dir + "/" + std::string(kSpoolFilePrefix) + "XXXXXX";
    fd_ = ::mkstemp(pattern.data());
    if (fd_ >= 0) path_ = std::move(pattern);
  }
  ~SpoolFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  bool ok() const noexcept { return fd_ >= 0; }
  int release_fd() noexcept { return std::exchange(fd_, -1); }
  // Removes the file now rather than when this goes out of scope.
  void discard() noexcept {
    if (!path_.empty()) ::unlink(path_.c_str());
    path_.clear();
  }
  std::shared_ptr<const SpooledBody> keep(std::uint64_t size) {
    return std::make_shared<const SpooledBody>(std::exchange(path_, {}), size);
  }

 private:
  int fd_ = -1;
  std::string path_;
};

// The meeting point of an AsyncApplication's `respond` and the waiting connection, whichever
// comes first.
class AsyncReply : public std::enable_shared_from_this<AsyncReply> {
 public:
  Respond respond_function() {
    return [self = shared_from_this()](Response r) { self->respond(std::move(r)); };
  }
  void respond(Response r) {
    std::unique_lock lock(mutex_);
    if (!resume_) {
      early_ = std::move(r);
      return;
    }
    auto resume = std::move(resume_);
    lock.unlock();
    resume(std::move(r));
  }
  void attach(std::function<void(Response)> resume) {
    std::unique_lock lock(mutex_);
    if (!early_) {
      resume_ = std::move(resume);
      return;
    }
    Response r = std::move(*early_);
    early_.reset();
    lock.unlock();
    resume(std::move(r));
  }

 private:
  std::mutex mutex_;
  std::optional<Response> early_;
  std::function<void(Response)> resume_;
};

// One connection: a coroutine on one event loop (single-threaded, so no strand) that reads a
// request, hands it to the handler pool, writes the answer and starts over while keep-alive lasts.
class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(ServerState& server, tcp::socket socket, std::string remote_ip)
      : server_(server),
        stream_(std::move(socket)),
        drain_timer_(stream_.get_executor()),
        remote_ip_(std::move(remote_ip)) {}

  asio::any_io_executor executor() { return stream_.get_executor(); }
  std::uint64_t id = 0;

  asio::awaitable<void> run() {
    try {
      co_await serve();
    } catch (const std::exception& e) {
      // The connection is closed below and the server carries on; the operator must still see
      // that a connection died of something unexpected.
      server_.report_error("connection failed", remote_ip_, e.what());
    }
    drain_timer_.cancel();
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    server_.remove_connection(id);
  }

  // Draining: an idle keep-alive connection gets `drain_idle_grace` for a request that may be
  // on its way, then closes. Busy connections answer with `Connection: close` by themselves.
  void notify_drain() override {
    asio::post(executor(), [self = shared_from_this()] {
      if (!self->idle_) return;
      self->drain_timer_.expires_after(self->server_.options.drain_idle_grace);
      self->drain_timer_.async_wait([self](error_code ec) {
        if (!ec && self->idle_) self->stream_.cancel();
      });
    });
  }

  void force_close() override {
    asio::post(executor(), [self = shared_from_this()] {
      self->drain_timer_.cancel();
      error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    });
  }

 private:
  asio::awaitable<void> serve() {
    const auto& opt = server_.options;
    for (;;) {
      // Wait for the first byte of the next request (unless pipelined bytes are buffered).
      if (buffer_.size() == 0) {
        idle_ = true;
        stream_.expires_after(server_.draining
                                  ? std::min(opt.drain_idle_grace, opt.keep_alive_timeout)
                                  : opt.keep_alive_timeout);
        auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kFirstReadBytes), kTuple);
        idle_ = false;
        if (ec) co_return;  // idle timeout, drain or the client went away
        buffer_.commit(n);
      }
      const auto first_byte = Clock::now();

      bhttp::request_parser<bhttp::empty_body> head_parser;
      head_parser.header_limit(
          static_cast<std::uint32_t>(std::min<std::size_t>(opt.max_header_bytes, UINT32_MAX)));
      head_parser.body_limit(boost::none);  // the route's limit is applied once the head is in

      stream_.expires_at(first_byte + opt.header_timeout);
      if (auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, head_parser, kTuple);
          ec) {
        co_await refuse(ec);
        co_return;
      }
      const unsigned version = head_parser.get().version();
      const auto request_id = request_id_of(head_parser.get());
      if (const auto refused = check_framing(view_of(head_parser.get()), opt.max_header_bytes)) {
        co_await answer_and_close(refused->status, refused->detail, version, request_id);
        co_return;
      }
      if (const auto problem = target_problem(head_parser.get()); !problem.empty()) {
        co_await answer_and_close(400, problem, version, request_id);
        co_return;
      }
      BodyPolicy policy = server_.body_policy_for(head_parser.get());
      if (const auto length = head_parser.content_length(); length && *length > policy.limit) {
        co_await answer_and_close(413, detail_for(413), version, request_id_of(head_parser.get()));
        co_return;
      }

      std::optional<Request> request;
      const bool client_keep_alive = head_parser.get().keep_alive();
      const bool head = head_parser.get().method() == bhttp::verb::head;
      if (policy.spool && !head_parser.is_done()) {
        SpoolFile spool(opt.spool_dir);
        if (!spool.ok()) {
          co_await answer_and_close(503, "cannot store the upload right now", version);
          co_return;
        }
        bhttp::request_parser<bhttp::file_body> parser{std::move(head_parser)};
        parser.body_limit(policy.limit);
        beast::file file;
        file.native_handle(spool.release_fd());
        error_code file_ec;
        parser.get().body().reset(std::move(file), file_ec);
        if (file_ec) co_return;
        if (const auto ec = co_await read_body(parser, first_byte, version)) {
          // Free the partial upload's space first: a full disk is a common reason to be here.
          parser.get().body().close();
          spool.discard();
          // The body was within the route's limit, so the client may send all of it in the
          // time it had for the request: read it to the end, then it reads the 503.
          co_await refuse(ec, upload_linger(parser, policy.limit, first_byte));
          co_return;
        }
        auto message = parser.release();
        error_code size_ec;
        const std::uint64_t size = message.body().file().size(size_ec);
        message.body().close();
        if (size_ec) co_return;
        request = to_request(message, remote_ip_, first_byte);
        if (request) request->spooled = spool.keep(size);
      } else {
        bhttp::request_parser<bhttp::string_body> parser{std::move(head_parser)};
        parser.body_limit(policy.limit);
        if (const auto ec = co_await read_body(parser, first_byte, version)) {
          co_await refuse(ec);
          co_return;
        }
        auto message = parser.release();
        request = to_request(message, remote_ip_, first_byte);
      }
      if (!request) {
        co_await answer_and_close(400, "invalid request target", version);
        co_return;
      }
      request->match = std::move(policy.match);

      Response response;
      auto reply = std::make_shared<AsyncReply>();
      if (server_.async_app && server_.async_app(*request, reply->respond_function())) {
        response = co_await await_reply(reply);
      } else if (server_.queued.fetch_add(1) >= opt.max_pending_requests) {
        server_.queued.fetch_sub(1);
        response = server_.error_response(503, "server busy, retry later",
                                          request->header("X-Request-Id"));
      } else {
        response = co_await call_app(*request);
      }

      request.reset();  // a spooled upload's file goes now, not after the response is written
      const bool keep = client_keep_alive && !response.close_connection && !server_.draining;
      if (!co_await write_response(response, head, version, keep)) co_return;
      if (!keep) {
        co_await linger_close();
        co_return;
      }
    }
  }

  // Reads the rest of the message after its head. On failure the connection must close; the
  // caller releases what it holds (a spool file) and then answers with refuse(error).
  template <class Parser>
  asio::awaitable<error_code> read_body(Parser& parser, Clock::time_point first_byte,
                                        unsigned version) {
    if (parser.is_done()) co_return error_code{};
    stream_.expires_at(first_byte + server_.options.request_timeout);
    if (iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, version};
      if (auto [ec, n] = co_await bhttp::async_write(stream_, go_on, kTuple); ec) co_return ec;
    }
    auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kTuple);
    co_return ec;
  }

  // Waits for the AsyncApplication's answer, which may have arrived already.
  asio::awaitable<Response> await_reply(const std::shared_ptr<AsyncReply>& reply) {
    return asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
        [reply](auto handler) {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          // Always post: the answer may come from another thread, or (early) from this one.
          reply->attach([h](Response r) {
            auto executor = asio::get_associated_executor(*h);
            asio::post(executor, [h, r = std::move(r)]() mutable { (*h)(std::move(r)); });
          });
        },
        asio::use_awaitable);
  }

  asio::awaitable<Response> call_app(Request& request) {
    auto* server = &server_;
    Request* req = &request;
    Response response = co_await asio::co_spawn(
        server->pool,
        [server, req]() -> asio::awaitable<Response> {
          server->queued.fetch_sub(1);
          Response r = server->invoke(*req);
          co_return r;
        },
        asio::use_awaitable);
    co_return response;
  }

  // The request could not be read: answer 400/413/431 when that makes sense, then close.
  // The rest of an upload the server could not take: at most what the route allows, within the
  // time left for the request (at least the usual linger).
  template <class Parser>
  Linger upload_linger(const Parser& parser, std::uint64_t limit,
                       Clock::time_point first_byte) const {
    const auto remaining = parser.content_length_remaining();
    const std::uint64_t bytes = std::min(remaining ? *remaining : limit, limit);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        first_byte + server_.options.request_timeout - Clock::now());
    return {static_cast<std::size_t>(bytes), std::max(Linger{}.time, left)};
  }

  // `linger` bounds how much of the unread request is read and dropped after the answer, so the
  // client, still sending, reads the answer instead of a reset connection.
  asio::awaitable<void> refuse(const error_code& ec, Linger linger = {}) {
    if (const auto status = status_for_read_error(ec))
      co_await answer_and_close(*status, detail_for(*status), 11, {}, linger);
  }

  asio::awaitable<void> answer_and_close(int status, std::string_view detail, unsigned version,
                                         std::optional<std::string_view> request_id = {},
                                         Linger linger = {}) {
    auto response = server_.error_response(status, detail, request_id);
    if (co_await write_response(response, false, version, false)) co_await linger_close(linger);
  }

  asio::awaitable<bool> write_response(Response& r, bool head, unsigned version, bool keep) {
    const auto write_timeout = server_.options.request_timeout;
    if (has_no_body(r.status) || (head && !r.stream)) {
      bhttp::response<bhttp::empty_body> res;
      fill_header(res, r, version, keep);
      if (!has_no_body(r.status)) res.content_length(r.body.size());
      stream_.expires_after(write_timeout);
      auto [ec, n] = co_await bhttp::async_write(stream_, res, kTuple);
      co_return !ec;
    }
    if (!r.stream) {
      bhttp::response<bhttp::string_body> res;
      fill_header(res, r, version, keep);
      res.content_length(r.body.size());
      res.body() = std::move(r.body);
      stream_.expires_after(write_timeout);
      auto [ec, n] = co_await bhttp::async_write(stream_, res, kTuple);
      co_return !ec;
    }

    const auto source = r.stream;
    const std::uint64_t size = source->size();
    bhttp::response<bhttp::buffer_body> res;
    fill_header(res, r, version, keep);
    res.content_length(size);
    res.body().data = nullptr;
    res.body().more = !head;
    bhttp::response_serializer<bhttp::buffer_body> serializer{res};
    stream_.expires_after(write_timeout);
    if (auto [ec, n] = co_await bhttp::async_write_header(stream_, serializer, kTuple); ec)
      co_return false;
    if (head) co_return true;

    std::vector<char> chunk(kStreamChunkBytes);
    std::uint64_t remaining = size;
    while (remaining > 0) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), remaining));
      const auto got = co_await read_chunk(source.get(), chunk.data(), want);
      // Shorter than announced: the only honest thing left is to close the connection.
      if (got == 0) co_return false;
      res.body().data = chunk.data();
      res.body().size = std::min(got, want);
      res.body().more = true;
      stream_.expires_after(write_timeout);
      auto [ec, n] = co_await bhttp::async_write(stream_, serializer, kTuple);
      if (ec && ec != bhttp::error::need_buffer) co_return false;
      remaining -= std::min(got, want);
    }
    res.body().data = nullptr;
    res.body().size = 0;
    res.body().more = false;
    stream_.expires_after(write_timeout);
    auto [ec, n] = co_await bhttp::async_write(stream_, serializer, kTuple);
    co_return !ec;
  }

  // A body source may block (disk, object storage): read it on the handler pool. Plain pointers
  // in, plain value out: g++ 12 has destroyed a by-value shared_ptr coroutine parameter twice.
  asio::awaitable<std::size_t> read_chunk(BodySource* source, char* out, std::size_t capacity) {
    const std::size_t n = co_await asio::co_spawn(
        server_.pool,
        [server = &server_, remote_ip = &remote_ip_, source, out,
         capacity]() -> asio::awaitable<std::size_t> {
          std::size_t got = 0;
          try {
            got = source->read(out, capacity);
          } catch (const std::exception& e) {
            got = 0;  // the caller closes the connection mid-body
            server->report_error("response body read failed", *remote_ip, e.what());
          }
          co_return got;
        },
        asio::use_awaitable);
    co_return n;
  }

  asio::awaitable<void> linger_close(Linger linger = {}) {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    stream_.expires_after(linger.time);
    std::array<char, 4096> discard;
    for (std::size_t total = 0; total < linger.bytes;) {
      auto [rec, n] = co_await stream_.async_read_some(asio::buffer(discard), kTuple);
      if (rec) break;
      total += n;
    }
  }

  ServerState& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  asio::steady_timer drain_timer_;
  std::string remote_ip_;
  bool idle_ = false;  // waiting for the first byte of a request; touched only on its loop
};

}  // namespace

void start_http_session(ServerState& server, tcp::socket socket) {
  error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  auto session =
      std::make_shared<HttpSession>(server, std::move(socket), endpoint.address().to_string());
  session->id = server.add_connection(session);
  asio::co_spawn(session->executor(), session->run(), [session](const std::exception_ptr& e) {
    if (e) std::rethrow_exception(e);  // run() catches everything; this would be a bug
  });
}

}  // namespace cm::http::detail
