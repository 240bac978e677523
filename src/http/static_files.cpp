// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/strings.hpp"
#include "http/http_date.hpp"

namespace cm::http {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kStreamThreshold = std::uint64_t{256} * 1024;
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";
constexpr std::string_view kHtmlPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'";

struct ContentType {
  std::string_view extension;
  std::string_view type;
};
constexpr std::array<ContentType, 18> kContentTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"txt", "text/plain; charset=utf-8"},
    {"map", "application/json"},
    {"wasm", "application/wasm"},
}};

// The extension of the last path segment without the dot ("" if none).
std::string_view extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return name.substr(dot + 1);
}

std::string_view content_type_for(std::string_view name) {
  const auto ext = to_lower(extension_of(name));
  for (const auto& ct : kContentTypes)
    if (ct.extension == ext) return ct.type;
  return "application/octet-stream";
}

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/") || path == "/health" || path == "/ready" ||
         path == "/metrics" || path == "/ws";
}

// Splits a decoded URL path into safe relative segments. Rejects `.`/`..`, hidden files
// (`.env`, `.git`), NUL bytes and backslashes; empty segments (`//`) are dropped so that an
// absolute-looking remainder can never replace the root in `root / relative`.
std::optional<std::vector<std::string_view>> safe_segments(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos)
    return std::nullopt;
  std::vector<std::string_view> segments;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    auto end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const auto seg = path.substr(pos, end - pos);
    if (!seg.empty()) {
      if (seg.front() == '.') return std::nullopt;
      segments.push_back(seg);
    }
    pos = end + 1;
  }
  return segments;
}

// `assets/name-HASH.ext` as emitted by Vite (e.g. `index-DxK3a9_b.js`), or `name.HASH.ext`.
// The hash must look like one (8+ characters from [A-Za-z0-9_-] with a digit or an upper-case
// letter) so that `assets/dark-background.png` is not cached forever by mistake.
bool is_hashed_asset(const std::vector<std::string_view>& segments) {
  if (segments.size() < 2) return false;
  if (std::find(segments.begin(), segments.end() - 1, std::string_view("assets")) ==
      segments.end() - 1)
    return false;
  auto name = segments.back();
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const auto stem = name.substr(0, dot);
  const auto sep = stem.find_last_of("-.");
  if (sep == std::string_view::npos || sep == 0) return false;
  const auto hash = stem.substr(sep + 1);
  if (hash.size() < 8 || hash.size() > 64) return false;
  bool digit_or_upper = false;
  for (char c : hash) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '_' && c != '-') return false;
    if (std::isdigit(u) || std::isupper(u)) digit_or_upper = true;
  }
  return digit_or_upper;
}

// True when `inner` is `outer` or below it (both already canonical).
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // trailing separator of the root
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

class Fd {
 public:
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Streams a file that was opened (and sized) once, so the length sent in Content-Length is the
// length of the file we actually read even if it is replaced on disk meanwhile.
class FileSource final : public BodySource {
 public:
  FileSource(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::size_t read(char* out, std::size_t capacity) override {
    if (sent_ >= size_) return 0;
    capacity = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, size_ - sent_));
    for (;;) {
      const auto n = ::pread(fd_.get(), out, capacity, static_cast<off_t>(sent_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 0;  // truncated on disk: the server closes the connection
      sent_ += static_cast<std::uint64_t>(n);
      return static_cast<std::size_t>(n);
    }
  }

 private:
  Fd fd_;
  std::uint64_t size_;
  std::uint64_t sent_ = 0;
};

bool read_all(int fd, std::uint64_t size, std::string& out) {
  out.resize(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < out.size()) {
    const auto n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Whether a coding's parameters give it weight 0 ("q=0", "q=0.0", ...): refused.
bool zero_weight(std::string_view params) {
  params = trim(params);
  if (params.size() < 2 || to_lower(params[0]) != 'q' || params[1] != '=') return false;
  const auto value = trim(params.substr(2));
  return !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
}

// Whether an Accept-Encoding header admits gzip: listed (or "*") without q=0 (RFC 9110 §12.5.3).
bool accepts_gzip(std::string_view header) {
  bool star = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = item.find(';');
    const auto coding = trim(item.substr(0, semi));
    const bool refused = semi != std::string_view::npos && zero_weight(item.substr(semi + 1));
    if (iequals(coding, "gzip")) return !refused;
    if (coding == "*") star = !refused;
  }
  return star;
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

std::optional<Response> StaticFiles::serve(const Request& request) const {
  if (root_.empty()) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  if (is_api_path(request.path)) return std::nullopt;
  const auto segments = safe_segments(request.path);
  if (!segments) return std::nullopt;

  std::error_code ec;
  const auto root = fs::canonical(root_, ec);
  if (ec || !fs::is_directory(root, ec)) return std::nullopt;

  fs::path relative;
  for (auto seg : *segments) relative /= fs::path(std::string(seg));
  bool fallback = false;
  fs::path file = root / relative;
  if (segments->empty() || !fs::is_regular_file(file, ec)) {
    // Unknown path without an extension: a client-side route of the single-page app.
    // With an extension it is a missing file: the application answers 404.
    if (!segments->empty() && !extension_of(segments->back()).empty()) return std::nullopt;
    file = root / "index.html";
    fallback = true;
  }
  // Symlinks must not lead outside the root.
  const auto resolved = fs::weakly_canonical(file, ec);
  if (ec || !is_within(resolved, root)) return std::nullopt;

  // The build writes a .gz beside each compressible asset (web/scripts/compress.mjs); it is
  // sent to clients that take gzip, so the app's JavaScript crosses the wire at a third of its
  // size without compressing on every request.
  const auto encoding = request.header("Accept-Encoding");
  fs::path gzipped = resolved;
  gzipped += ".gz";
  const bool has_gzip =
      fs::is_regular_file(gzipped, ec) && is_within(fs::weakly_canonical(gzipped, ec), root);
  const bool send_gzip = has_gzip && encoding && accepts_gzip(*encoding);

  Fd fd(::open((send_gzip ? gzipped : resolved).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;

  const auto size = static_cast<std::uint64_t>(st.st_size);
  const auto mtime_ns = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1'000'000'000ULL +
                        static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
  char etag_buf[64];
  std::snprintf(etag_buf, sizeof etag_buf, send_gzip ? "\"%llx-%llx-gz\"" : "\"%llx-%llx\"",
                static_cast<unsigned long long>(size), static_cast<unsigned long long>(mtime_ns));
  const std::string etag = etag_buf;
  const std::string last_modified = format_http_date(st.st_mtim.tv_sec);

  const auto name = resolved.filename().string();
  const auto type = content_type_for(name);
  const bool html = type.starts_with("text/html");

  Response response;
  response.headers.set("ETag", etag);
  response.headers.set("Last-Modified", last_modified);
  response.headers.set(
      "Cache-Control",
      std::string(!fallback && is_hashed_asset(*segments) ? kImmutable : kNoCache));
  response.headers.set("X-Content-Type-Options", "nosniff");
  if (has_gzip) response.headers.set("Vary", "Accept-Encoding");
  if (send_gzip) response.headers.set("Content-Encoding", "gzip");
  if (html) response.headers.set("Content-Security-Policy", std::string(kHtmlPolicy));

  bool not_modified = false;
  if (auto inm = request.header("If-None-Match")) {
    not_modified = etag_matches(*inm, etag);
  } else if (auto ims = request.header("If-Modified-Since")) {
    if (auto since = parse_http_date(*ims)) not_modified = st.st_mtim.tv_sec <= *since;
  }
  if (not_modified) {
    response.status = 304;
    return response;
  }

  response.status = 200;
  response.headers.set("Content-Type", std::string(type));
  if (size > kStreamThreshold) {
    response.stream = std::make_shared<FileSource>(fd.release(), size);
  } else if (!read_all(fd.get(), size, response.body)) {
    return std::nullopt;
  }
  return response;
}

}  // namespace cm::http
