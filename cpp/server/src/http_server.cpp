// The only translation unit that includes Beast: sessions, the listener and the signal handling.
#include "http_server.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
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
  std::uint64_t max_body = 0;
  steady::duration keep_alive{}, request_timeout{};
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
  }

  ~Session() {
    std::lock_guard<std::mutex> lock(shared_.mutex);
    shared_.sessions.erase(this);
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
    if (state_ == State::Reading)
      shared_.logger->event(LogLevel::Debug, "timeout", "closed a connection that did not send a whole request in time",
                            {{"remote", json_quote(remote_)}});
    shut();
  }

  Strand executor() { return stream_.get_executor(); }

 private:
  enum class State { Idle, Reading, Writing, Closing, Closed };

  void wait_for_request() {
    if (shared_.stopping) return close(false);
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
    state_ = State::Reading;
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
    if (ec) return on_read_error(ec);
    if (parser_->is_done()) return respond();
    const auto& req = parser_->get();
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
    if (ec) return on_read_error(ec);
    respond();
  }

  void on_read_error(const beast::error_code& ec) {
    if (ec == http::error::body_limit)
      return send_error(413, "The request body is larger than " + std::to_string(shared_.max_body) + " bytes.");
    if (ec == http::error::header_limit) return send_error(431, "The request header fields are too large.");
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || !is_http_error(ec))
      return close(false);  // the client left, went silent, or the server is stopping
    send_error(400, "Malformed HTTP request.");
  }

  /** An answer of the session itself; the rest of the request is not read, so the connection closes. */
  void send_error(int status, const std::string& detail) {
    Reply reply = error_reply(status, detail);
    reply.close = true;
    shared_.app->finish(reply, parser_->get()[http::field::origin]);
    write_reply(std::move(reply), 11, false, false);
  }

  void respond() {
    auto& req = parser_->get();
    Request request;
    request.method = req.method_string();
    request.target = req.target();
    request.body = req.body();
    request.content_type = req[http::field::content_type];
    request.origin = req[http::field::origin];
    request.requested_method = req[http::field::access_control_request_method];
    request.requested_headers = req[http::field::access_control_request_headers];
    request.if_none_match = req[http::field::if_none_match];
    Reply reply = shared_.app->handle(request);
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
    log_access();
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
    shared_.logger->access(r);
  }

  void set_deadline(steady::duration d) {
    deadline_.store((steady::now() + d).time_since_epoch().count(), std::memory_order_relaxed);
  }

  /** Closes the socket: pending operations end with operation_aborted and the session goes away. */
  void shut() {
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
    std::make_shared<Session>(std::move(socket), shared)->start();
  }

  void wait_for_signal() {
    signals.async_wait([this](beast::error_code ec, int signal) {
      if (ec) return;  // cancelled once every connection is closed
      if (shared.stopping.exchange(true)) {
        logger.event(LogLevel::Warning, "forced_stop", "second signal: stopping without waiting");
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
      deadline = steady::now() + shared.request_timeout + std::chrono::seconds(1);
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
      if (steady::now() > deadline) {
        logger.event(LogLevel::Warning, "drain_timeout", "connections still open after the request timeout; stopping");
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
  bool finished = false;  // on the control strand: every connection closed after a stop
  unsigned port = 0;
};

HttpServer::HttpServer(const Config& config, const Logger& logger) : impl_(std::make_unique<Impl>(config, logger)) {}
HttpServer::~HttpServer() = default;

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

void HttpServer::run(const App& app) {
  Impl& s = *impl_;
  s.shared.app = &app;
  s.accept();
  s.wait_for_signal();
  s.sweep();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < s.config.workers; ++i) threads.emplace_back([&s] { s.run_thread(); });
  s.run_thread();
  for (auto& t : threads) t.join();
}

}  // namespace pmkpi::server
