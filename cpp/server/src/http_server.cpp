// The only translation unit that includes Beast: sessions, the listener and the signal handling.
#include "http_server.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio.hpp>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include "access.hpp"
#include "compute_pool.hpp"
#include "pmkpi/api.hpp"

namespace pmkpi::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;
// Concrete executor types: the type-erased default (any_io_executor) costs on every operation.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Strand>;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;  // request line and headers; 431 beyond
constexpr std::size_t kReadChunk = 8 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(2);
// Deadlines are checked by one sweep every this often, instead of a timer armed and cancelled
// around every read and write (which costs system calls on every request).
constexpr auto kSweepInterval = std::chrono::milliseconds(50);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

steady::duration seconds(double s) {
  return std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(s));
}

/** The Date header, formatted once per second per thread. */
const std::string& cached_date() {
  thread_local std::time_t second = 0;
  thread_local std::string text;
  const std::time_t now = std::time(nullptr);
  if (now != second) {
    second = now;
    text = http_date(now);
  }
  return text;
}

bool is_http_error(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_method).category();
}

class Session;

/** What every session shares: the app, the log, the limits, and the list of live sessions. */
struct Shared {
  const App* app = nullptr;
  const Logger* logger = nullptr;
  ComputePool* pool = nullptr;
  std::uint64_t max_body = 0;
  steady::duration keep_alive{}, request_timeout{}, compute_timeout{};
  double compute_timeout_seconds = 0;
  std::uint64_t max_buffered = 0;
  std::atomic<std::uint64_t> buffered{0};  // body bytes reserved by the requests being received
  unsigned max_connections = 0;
  std::atomic<unsigned> connections{0};
  std::atomic<unsigned> active{0};  // requests begun and not yet answered
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  std::size_t live() {
    std::lock_guard<std::mutex> lock(mutex);
    return sessions.size();
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    beast::error_code ec;
    const auto peer = stream_.remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
    shared_.connections.fetch_add(1);
  }

  ~Session() {
    mark_active(false);
    release_body();
    if (job_) job_->cancelled = true;
    shared_.connections.fetch_sub(1);
    std::lock_guard<std::mutex> lock(shared_.mutex);
    shared_.sessions.erase(this);
  }

  /** Past MAX_CONNECTIONS: a 503 and the connection closes, before any request is read. */
  void refuse() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->parser_.emplace();
      self->started_ = steady::now();
      Reply reply = error_reply(503, "The server has too many open connections; retry shortly.");
      reply.headers.emplace_back("retry-after", "1");
      reply.close = true;
      self->shared_.app->finish(reply, {});
      self->request_id_ = reply.request_id;
      self->write_reply(std::move(reply), 11, false, false);
    });
  }

  /** At the drain deadline: logs the request this connection still holds, and closes it. */
  void drop() {
    if (state_ == State::Closed) return;
    if (state_ != State::Idle)
      shared_.logger->event(LogLevel::Warning, "request_dropped",
                            "the drain deadline passed before this request finished",
                            {{"method", json_quote(parser_ ? parser_->get().method_string() : "")},
                             {"path", json_quote(parser_ ? parser_->get().target() : "")},
                             {"request_id", json_quote(request_id_)},
                             {"remote", json_quote(remote_)},
                             {"state", json_quote(state_name())}});
    if (job_) job_->cancelled = true;
    shut();
  }

  void start() {
    {
      std::lock_guard<std::mutex> lock(shared_.mutex);
      shared_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::wait_for_request, shared_from_this()));
  }

  /** Called on the session's strand when the server stops: an idle connection closes now. */
  void stop() {
    if (state_ == State::Idle) shut();
  }

  /** Whether the deadline of the current phase (idle, request, answer, lingering) has passed. */
  bool overdue(steady::time_point now) const {
    return deadline_.load(std::memory_order_relaxed) <= now.time_since_epoch().count();
  }

  /** Called on the session's strand by the sweep: closes the connection if it is still overdue. */
  void expire() {
    if (state_ == State::Closed || !overdue(steady::now())) return;
    if (state_ == State::Reading) {
      // A request begun and not finished in time: say so (408) before closing. The read in
      // progress is cancelled first (its handler sees the state is no longer Reading).
      beast::error_code ignored;
      stream_.cancel(ignored);
      shared_.logger->event(LogLevel::Debug, "timeout", "a connection did not send a whole request in time",
                            {{"remote", json_quote(remote_)}});
      return send_error(408, "The request was not received within the request timeout.");
    }
    if (state_ == State::Computing) {
      job_->cancelled = true;
      job_.reset();
      shared_.logger->event(LogLevel::Warning, "compute_timeout", "a request computed longer than COMPUTE_TIMEOUT",
                            {{"request_id", json_quote(request_id_)}, {"path", json_quote(parser_->get().target())}});
      Reply reply =
          error_reply(503, "The computation took longer than " + plain_seconds(shared_.compute_timeout_seconds) +
                               " s (COMPUTE_TIMEOUT): ask for less (fewer points or periods) or retry later.");
      reply.close = true;
      shared_.app->finish(reply, parser_->get()[http::field::origin], request_id_);
      return write_reply(std::move(reply), parser_->get().version(), false, false);
    }
    shut();
  }

  Strand executor() { return stream_.get_executor(); }

 private:
  enum class State { Idle, Reading, Computing, Writing, Closing, Closed };

  /** A heavy request handed to the compute pool; cancelled when its client leaves or it times out. */
  struct Job {
    std::atomic<bool> cancelled{false};
  };

  const char* state_name() const {
    switch (state_) {
      case State::Idle:
        return "idle";
      case State::Reading:
        return "reading";
      case State::Computing:
        return "computing";
      case State::Writing:
        return "writing";
      case State::Closing:
        return "closing";
      case State::Closed:
        break;
    }
    return "closed";
  }

  static std::string plain_seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", s);
    return buf;
  }

  void mark_active(bool on) {
    if (active_ == on) return;
    active_ = on;
    if (on)
      shared_.active.fetch_add(1);
    else
      shared_.active.fetch_sub(1);
  }

  void release_body() {
    if (reserved_ > 0) shared_.buffered.fetch_sub(reserved_);
    reserved_ = 0;
  }

  void wait_for_request() {
    if (shared_.stopping) return close(false);
    if (watching_) {  // the read watching for a disconnect is still out: it resumes from here
      resume_ = true;
      state_ = State::Idle;
      set_deadline(shared_.keep_alive);
      return;
    }
    release_body();
    cost_ = pmkpi::RequestCost{};
    cost_.max_body = shared_.max_body;  // until the header names the route
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(shared_.max_body);
    if (buffer_.size() > 0) return begin_request();  // a pipelined request is already here
    state_ = State::Idle;
    set_deadline(shared_.keep_alive);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(beast::error_code ec, std::size_t n) {
    if (ec) return close(false);  // idle timeout, the client left, or the server is stopping
    buffer_.commit(n);
    begin_request();
  }

  void begin_request() {
    // RFC 9112 section 2.2: empty lines before a request line are ignored.
    while (buffer_.size() > 0) {
      const char c = *static_cast<const char*>(buffer_.data().data());
      if (c != '\r' && c != '\n') break;
      buffer_.consume(1);
    }
    if (buffer_.size() == 0) {
      return stream_.async_read_some(buffer_.prepare(kReadChunk),
                                     beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
    }
    state_ = State::Reading;
    mark_active(true);
    started_ = steady::now();
    // One deadline for the whole request: a client trickling bytes cannot keep the connection.
    set_deadline(shared_.request_timeout);
    // The whole header is usually in the buffer already: parsed here, as Beast's read operations
    // would parse it, without the completion they post through the strand.
    parser_->eager(false);
    beast::error_code ec;
    if (parse_buffered(ec) || parser_->is_header_done()) return on_header(ec, 0);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  /**
   * Feeds the bytes already read to the parser, as Beast's read operations do before reading
   * more: stops at the end of the header (not eager) or of the message (eager), or when more
   * bytes are needed. True on a parse error (in `ec`: header_limit, body_limit, bad_... as the
   * read operations would report).
   */
  bool parse_buffered(beast::error_code& ec) {
    while (buffer_.size() > 0 && !parser_->is_done()) {
      const std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) {
        ec = {};
        return false;
      }
      if (ec) return true;
      if (!parser_->eager() && parser_->is_header_done()) return false;
      if (used == 0) return false;
    }
    return false;
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (state_ != State::Reading) return;  // answered already (408)
    if (ec) return on_read_error(ec);
    const auto& req = parser_->get();
    request_id_ = request_id_for(req["x-request-id"]);
    if (req.version() >= 11 && req.count(http::field::host) != 1)
      return send_error(400, "An HTTP/1.1 request needs exactly one Host header.");
    cost_ = pmkpi::request_cost(req.method_string(), req.target(), shared_.max_body);
    const auto length = parser_->content_length();
    if (length && *length > cost_.max_body)
      return send_error(413, "The request body is larger than " + std::to_string(cost_.max_body) +
                                 " bytes, the limit of " + std::string(req.target().substr(0, req.target().find('?'))) +
                                 ".");
    parser_->body_limit(cost_.max_body);
    if (!reserve_body(length ? *length : (parser_->chunked() ? cost_.max_body : 0))) {
      Reply reply = error_reply(503, "The server is receiving too many request bodies at once; retry shortly.");
      reply.headers.emplace_back("retry-after", "1");
      reply.close = true;
      shared_.app->finish(reply, req[http::field::origin], request_id_);
      return write_reply(std::move(reply), req.version(), false, false);
    }
    if (parser_->is_done()) return respond();
    if (req.version() >= 11 && iequals(req[http::field::expect], "100-continue")) {
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code e, std::size_t) {
                         if (e) return self->close(false);
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    parser_->eager(true);
    beast::error_code ec;
    if (parse_buffered(ec)) return on_read_error(ec);
    if (parser_->is_done()) return respond();
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (state_ != State::Reading) return;  // answered already (408)
    if (ec) return on_read_error(ec);
    respond();
  }

  /** Counts `bytes` against MAX_BUFFERED_BYTES, all connections together; false when over. */
  bool reserve_body(std::uint64_t bytes) {
    if (bytes == 0) return true;
    if (shared_.buffered.fetch_add(bytes) + bytes > shared_.max_buffered) {
      shared_.buffered.fetch_sub(bytes);
      return false;
    }
    reserved_ = bytes;
    return true;
  }

  void on_read_error(const beast::error_code& ec) {
    if (ec == http::error::body_limit)
      return send_error(413, "The request body is larger than " + std::to_string(cost_.max_body) + " bytes.");
    if (ec == http::error::header_limit) return send_error(431, "The request header fields are too large.");
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || !is_http_error(ec))
      return close(false);  // the client left, went silent, or the server is stopping
    send_error(400, "Malformed HTTP request.");
  }

  /** An answer of the session itself; the rest of the request is not read, so the connection closes. */
  void send_error(int status, const std::string& detail) {
    Reply reply = error_reply(status, detail);
    reply.close = true;
    if (request_id_.empty()) request_id_ = request_id_for(parser_->get()["x-request-id"]);
    shared_.app->finish(reply, parser_->get()[http::field::origin], request_id_);
    // In the client's HTTP version, when its request line said one (1.1 otherwise).
    write_reply(std::move(reply), parser_->get().version() == 10 ? 10 : 11, false, false);
  }

  void respond() {
    auto& req = parser_->get();
    request_.cancelled = nullptr;  // set again by compute() for a heavy request
    request_.method = req.method_string();
    request_.target = req.target();
    request_.body = req.body();
    request_.content_type = req[http::field::content_type];
    request_.origin = req[http::field::origin];
    request_.requested_method = req[http::field::access_control_request_method];
    request_.requested_headers = req[http::field::access_control_request_headers];
    request_.if_none_match = req[http::field::if_none_match];
    request_.authorization = req[http::field::authorization];
    request_.api_key = req["x-api-key"];
    request_.remote = remote_;
    request_.request_id = request_id_;
    if (auto refused = shared_.app->admit(request_)) return answered(std::move(*refused));
    if (cost_.heavy && shared_.pool != nullptr) return compute();
    answered(shared_.app->answer(request_));
  }

  /** A heavy request: answered by the compute pool, while this strand watches for the client leaving. */
  void compute() {
    job_ = std::make_shared<Job>();
    state_ = State::Computing;
    set_deadline(shared_.compute_timeout);
    auto job = job_;
    request_.cancelled = &job->cancelled;  // the job outlives the computation: the closure holds it
    const bool queued = shared_.pool->submit([self = shared_from_this(), job] {
      if (job->cancelled) return;  // the client left, or the deadline passed, while it waited
      Reply reply = self->shared_.app->answer(self->request_);
      net::post(self->stream_.get_executor(),
                [self, job, reply = std::move(reply)]() mutable { self->on_computed(job, std::move(reply)); });
    });
    if (!queued) {
      job_.reset();
      Reply reply = error_reply(503, "The server is computing as many requests as it can; retry shortly.");
      reply.headers.emplace_back("retry-after", "1");
      shared_.app->finish(reply, request_.origin, request_id_);
      return answered(std::move(reply));
    }
    watch();
  }

  void on_computed(const std::shared_ptr<Job>& job, Reply reply) {
    if (job != job_ || job->cancelled || state_ != State::Computing) return;  // timed out, or the client left
    job_.reset();
    answered(std::move(reply));
  }

  /** A read while computing: its end (the client closed) cancels the work; bytes are kept. */
  void watch() {
    if (buffer_.size() >= kHeaderLimit) return;  // a client pipelining that much is not watched
    watching_ = true;
    stream_.async_read_some(
        buffer_.prepare(kReadChunk),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_watch(ec, n); });
  }

  void on_watch(beast::error_code ec, std::size_t n) {
    watching_ = false;
    if (state_ == State::Closed) return;
    if (ec) {
      if (job_) {
        job_->cancelled = true;
        job_.reset();
        shared_.logger->event(LogLevel::Info, "client_gone", "the client closed its connection; its work is cancelled",
                              {{"request_id", json_quote(request_id_)}, {"remote", json_quote(remote_)}});
      }
      if (state_ != State::Writing) shut();
      return;
    }
    buffer_.commit(n);
    if (resume_) {
      resume_ = false;
      return wait_for_request();
    }
    if (state_ == State::Computing) watch();
  }

  void answered(Reply reply) {
    const auto& req = parser_->get();
    const bool keep_alive = req.keep_alive() && !reply.close && !shared_.stopping;
    write_reply(std::move(reply), req.version(), keep_alive, req.method() == http::verb::head);
  }

  /**
   * Writes the answer as bytes the session formats itself: status line and headers in one string
   * reused across requests, the body as a second buffer, one gathering write. Beast's response
   * object and serializer cost an allocation per header field and several times the work; the
   * bytes are the same as it produced (its field names, order and reason phrases).
   */
  void write_reply(Reply reply, unsigned version, bool keep_alive, bool head) {
    const bool http10 = version == 10;
    const std::string_view body = reply.body_view();
    const bool no_body = reply.status == 204 || reply.status == 304 || reply.status < 200;
    std::string& out = head_;
    out.clear();
    out += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    append_number(out, static_cast<std::uint64_t>(reply.status));
    out += ' ';
    out += http::obsolete_reason(static_cast<http::status>(reply.status));
    out += "\r\nServer: pmkpi\r\nDate: ";
    out += cached_date();
    out += "\r\n";
    for (const auto& [name, value] : reply.headers) {
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
    if (!no_body) {
      out += "Content-Length: ";
      append_number(out, body.size());
      out += "\r\n";
    }
    // What Beast's keep_alive() wrote: HTTP/1.1 says when it closes, HTTP/1.0 when it stays open.
    if (!http10 && !keep_alive) out += "Connection: close\r\n";
    if (http10 && keep_alive) out += "Connection: keep-alive\r\n";
    out += "\r\n";
    const bool with_body = !head && !no_body;
    shared_body_.reset();
    body_.clear();
    std::string_view sent;
    if (with_body) {
      if (reply.shared) {
        shared_body_ = std::move(reply.shared);  // kept alive until the write completes
        sent = *shared_body_;
      } else {
        body_ = std::move(reply.body);
        sent = body_;
      }
    }
    sent_bytes_ = sent.size();
    status_ = reply.status;
    linger_ = !parser_->is_done();  // unread request bytes: close gently so the client sees the answer
    state_ = State::Writing;
    set_deadline(shared_.request_timeout);
    const std::array<net::const_buffer, 2> buffers{net::buffer(head_.data(), head_.size()),
                                                   net::buffer(sent.data(), sent.size())};
    net::async_write(stream_, buffers, beast::bind_front_handler(&Session::on_write, shared_from_this(), keep_alive));
  }

  static void append_number(std::string& out, std::uint64_t n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out.append(digits, end);
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    mark_active(false);
    log_access();
    request_id_.clear();
    if (ec) return close(false);
    if (!keep_alive) return close(linger_);
    wait_for_request();
  }

  void log_access() {
    if (!shared_.logger->enabled(LogLevel::Info)) return;
    AccessRecord r;
    r.time = std::chrono::system_clock::now();
    // After a 413 or 431 the header is incomplete; what was parsed of the request line is kept.
    r.method = parser_->get().method_string();
    const std::string_view target = parser_->get().target();
    r.path = target.substr(0, target.find_first_of("?#"));
    r.status = status_;
    r.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(steady::now() - started_).count();
    r.bytes = sent_bytes_;
    r.remote = remote_;
    r.request_id = request_id_;
    r.forwarded_for = parser_->get()["x-forwarded-for"];
    shared_.logger->access(r);
  }

  void set_deadline(steady::duration d) {
    deadline_.store((steady::now() + d).time_since_epoch().count(), std::memory_order_relaxed);
  }

  /** Closes the socket: pending operations end with operation_aborted and the session goes away. */
  void shut() {
    mark_active(false);
    state_ = State::Closed;
    deadline_.store(std::numeric_limits<std::int64_t>::max(), std::memory_order_relaxed);
    beast::error_code ignored;
    stream_.close(ignored);
  }

  void close(bool linger) {
    if (state_ == State::Closed) return;
    beast::error_code ec;
    stream_.shutdown(tcp::socket::shutdown_send, ec);
    if (!linger || ec) return shut();
    // Read and drop what the client still sends, for a little while, then close: closing with
    // unread data would reset the connection and could destroy the answer before it is read.
    state_ = State::Closing;
    set_deadline(kLingerTime);
    buffer_.consume(buffer_.size());
    drain();
  }

  void drain() {
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->shut();
                              self->drain();
                            });
  }

  Socket stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_;                                // status line and headers of the answer being written
  std::string body_;                                // its body, when owned
  std::shared_ptr<const std::string> shared_body_;  // or a cached one
  std::string remote_;
  std::string request_id_;
  pmkpi::RequestCost cost_;
  Request request_;             // views into parser_'s message, kept while the pool computes
  std::shared_ptr<Job> job_;    // the heavy request being computed
  std::uint64_t reserved_ = 0;  // body bytes counted against MAX_BUFFERED_BYTES
  bool active_ = false;         // counted in Shared::active
  bool watching_ = false;       // a read watching for a disconnect is out
  bool resume_ = false;         // ... and the next request starts when it completes
  State state_ = State::Idle;
  steady::time_point started_ = steady::now();
  std::uint64_t sent_bytes_ = 0;
  int status_ = 0;
  bool linger_ = false;
  std::atomic<std::int64_t> deadline_{std::numeric_limits<std::int64_t>::max()};  // steady clock ticks
};

}  // namespace

struct HttpServer::Impl {
  Impl(const Config& c, const Logger& l)
      : config(c),
        logger(l),
        ioc(static_cast<int>(c.workers)),
        acceptor(net::make_strand(ioc)),
        accept_timer(acceptor.get_executor()),
        control(net::make_strand(ioc)),
        signals(control, SIGINT, SIGTERM),
        drain_timer(control),
        sweep_timer(control) {
    shared.logger = &logger;
    shared.max_body = c.max_body_bytes;
    shared.keep_alive = seconds(c.keep_alive_timeout);
    shared.request_timeout = seconds(c.request_timeout);
    shared.compute_timeout = seconds(c.compute_timeout);
    shared.compute_timeout_seconds = c.compute_timeout;
    shared.max_buffered = c.max_buffered_bytes;
    shared.max_connections = c.max_connections;
  }

  void accept() {
    acceptor.async_accept(net::make_strand(ioc.get_executor()), [this](beast::error_code ec, Socket socket) {
      if (!acceptor.is_open() || ec == net::error::operation_aborted) return;
      if (ec) {
        // Out of file descriptors, most likely: pause instead of spinning on the error.
        logger.event(LogLevel::Warning, "accept_failed", ec.message());
        accept_timer.expires_after(std::chrono::milliseconds(100));
        accept_timer.async_wait([this](beast::error_code e) {
          if (!e && acceptor.is_open()) accept();
        });
        return;
      }
      start_session(std::move(socket));
      // Take every connection already waiting, not one per turn of the event loop: a burst of
      // clients would otherwise wait behind all the requests in flight, once per connection.
      for (int i = 0; i < 256; ++i) {
        Socket next(net::make_strand(ioc.get_executor()));
        acceptor.accept(next, ec);
        if (ec) break;  // would_block: none left
        start_session(std::move(next));
      }
      accept();
    });
  }

  void start_session(Socket&& socket) {
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const bool over = shared.connections.load() >= shared.max_connections;
    auto session = std::make_shared<Session>(std::move(socket), shared);
    if (over) {
      logger.event(LogLevel::Warning, "connection_refused", "MAX_CONNECTIONS reached: answered 503");
      return session->refuse();
    }
    session->start();
  }

  void wait_for_signal() {
    signals.async_wait([this](beast::error_code ec, int signal) {
      if (ec) return;  // cancelled once every connection is closed
      if (shared.stopping.exchange(true)) {
        logger.event(LogLevel::Warning, "forced_stop", "second signal: stopping without waiting",
                     {{"requests_in_flight", std::to_string(shared.active.load())}});
        if (shared.active.load() > 0) clean = false;
        ioc.stop();
        return;
      }
      logger.event(LogLevel::Info, "stopping",
                   std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") +
                       ": no new connections; finishing the requests in flight");
      net::post(acceptor.get_executor(), [this] {
        beast::error_code ignored;
        acceptor.close(ignored);
        accept_timer.cancel();
      });
      std::vector<std::shared_ptr<Session>> live;
      {
        std::lock_guard<std::mutex> lock(shared.mutex);
        for (auto& [raw, weak] : shared.sessions)
          if (auto s = weak.lock()) live.push_back(std::move(s));
      }
      for (auto& s : live) net::post(s->executor(), [s] { s->stop(); });
      deadline = steady::now() + seconds(config.drain_timeout);
      wait_for_signal();  // a second signal forces the stop
      watch_drain();
    });
  }

  /** Every kSweepInterval: closes the connections whose deadline passed. */
  void sweep() {
    sweep_timer.expires_after(kSweepInterval);
    sweep_timer.async_wait([this](beast::error_code ec) {
      // `finished`, not only `ec`: the timer may have fired just before it was cancelled.
      if (ec || finished) return;
      const auto now = steady::now();
      std::vector<std::shared_ptr<Session>> due;
      {
        std::lock_guard<std::mutex> lock(shared.mutex);
        for (auto& [raw, weak] : shared.sessions)
          if (raw->overdue(now))
            if (auto s = weak.lock()) due.push_back(std::move(s));
      }
      for (auto& s : due) net::post(s->executor(), [s] { s->expire(); });
      sweep();
    });
  }

  void watch_drain() {
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (shared.live() == 0) {
        // Nothing left to do. Stopping the io_context, not only cancelling the timers, so that a
        // completion already queued cannot keep the loop alive.
        finished = true;
        signals.cancel();
        sweep_timer.cancel();
        ioc.stop();
        return;
      }
      if (steady::now() > deadline && !dropping) {
        // Each request still held is logged and its connection closed; a moment later, whatever
        // is left stops with the loop.
        dropping = true;
        if (shared.active.load() > 0) clean = false;
        logger.event(LogLevel::Warning, "drain_timeout",
                     "requests still in flight at the drain deadline (DRAIN_TIMEOUT): dropping them",
                     {{"connections", std::to_string(shared.live())}});
        std::vector<std::shared_ptr<Session>> live;
        {
          std::lock_guard<std::mutex> lock(shared.mutex);
          for (auto& [raw, weak] : shared.sessions)
            if (auto s = weak.lock()) live.push_back(std::move(s));
        }
        for (auto& s : live) net::post(s->executor(), [s] { s->drop(); });
        deadline = steady::now() + std::chrono::milliseconds(200);
      } else if (steady::now() > deadline) {
        ioc.stop();
        return;
      }
      watch_drain();
    });
  }

  void run_thread() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        // A handler threw (memory exhausted, most likely): log it and keep serving.
        logger.event(LogLevel::Error, "internal_error", e.what());
      }
    }
  }

  Config config;
  const Logger& logger;
  Shared shared;  // before the io_context: handlers destroyed with it still reach the session list
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer accept_timer;
  net::strand<net::io_context::executor_type> control;
  net::signal_set signals;
  net::steady_timer drain_timer;
  net::steady_timer sweep_timer;
  steady::time_point deadline;
  bool finished = false;          // on the control strand: every connection closed after a stop
  bool dropping = false;          // the drain deadline passed: the remaining requests are being dropped
  std::atomic<bool> clean{true};  // no request was dropped by the stop
  std::unique_ptr<ComputePool> pool;
  unsigned port = 0;
};

HttpServer::HttpServer(const Config& config, const Logger& logger) : impl_(std::make_unique<Impl>(config, logger)) {}
HttpServer::~HttpServer() = default;

namespace {
void logger_busy_threads(HttpServer::Impl& s) {
  s.logger.event(LogLevel::Warning, "compute_abandoned",
                 "compute threads still busy at exit; their requests were dropped (and logged above)");
}
}  // namespace

bool HttpServer::listen(std::string& error) {
  Impl& s = *impl_;
  beast::error_code ec;
  const std::string host = s.config.host == "localhost" ? "127.0.0.1" : s.config.host;
  const auto address = net::ip::make_address(host, ec);
  if (ec) {
    error = "API_HOST " + s.config.host + " is not an address: " + ec.message();
    return false;
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(s.config.port));
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) s.acceptor.non_blocking(true, ec);
  if (ec) {
    error = "cannot listen on " + s.config.host + ":" + std::to_string(s.config.port) + ": " + ec.message();
    return false;
  }
  s.port = s.acceptor.local_endpoint().port();
  return true;
}

unsigned HttpServer::port() const { return impl_->port; }

bool HttpServer::run(const App& app) {
  Impl& s = *impl_;
  s.shared.app = &app;
  s.pool = std::make_unique<ComputePool>(s.config.compute_workers, s.config.compute_queue);
  s.shared.pool = s.pool.get();
  s.accept();
  s.wait_for_signal();
  s.sweep();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.config.workers; ++i) threads.emplace_back([&s] { s.run_thread(); });
  s.run_thread();
  for (auto& t : threads) t.join();
  // Every connection is closed (or dropped): what still computes has no one to answer.
  if (!s.pool->stop(steady::now() + std::chrono::milliseconds(100))) {
    s.clean = false;
    logger_busy_threads(s);
    (void)s.pool.release();  // its threads still run; the process exits without waiting for them
  }
  return s.clean;
}

}  // namespace pmkpi::server
