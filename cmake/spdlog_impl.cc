// The single translation unit that compiles spdlog (SPDLOG_COMPILED_LIB with an external
// fmt), so that the binary carries spdlog without Debian's shared libspdlog (there is no
// static one) and without header-only spdlog, which costs ~30 s more per including file
// here (cmake/Dependencies.cmake).
//
// In compiled mode spdlog's headers only declare; the *-inl.h files define. The
// non-template parts are emitted by including them; the templates the project (and its
// tests) use are instantiated explicitly below: the sinks' mutex flavours and the console
// logger factories. Using another sink or factory fails at link time: add it here.
#ifndef SPDLOG_COMPILED_LIB
#error "spdlog_impl.cc needs SPDLOG_COMPILED_LIB (set by the spdlog_impl target)"
#endif

#include <spdlog/async.h>
#include <spdlog/async_logger-inl.h>
#include <spdlog/common-inl.h>
#include <spdlog/details/backtracer-inl.h>
#include <spdlog/details/file_helper-inl.h>
#include <spdlog/details/log_msg-inl.h>
#include <spdlog/details/log_msg_buffer-inl.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/details/os-inl.h>
#include <spdlog/details/periodic_worker-inl.h>
#include <spdlog/details/registry-inl.h>
#include <spdlog/details/thread_pool-inl.h>
#include <spdlog/logger-inl.h>
#include <spdlog/pattern_formatter-inl.h>
#include <spdlog/sinks/ansicolor_sink-inl.h>
#include <spdlog/sinks/base_sink-inl.h>
#include <spdlog/sinks/basic_file_sink-inl.h>
#include <spdlog/sinks/sink-inl.h>
#include <spdlog/sinks/stdout_color_sinks-inl.h>
#include <spdlog/sinks/stdout_sinks-inl.h>
#include <spdlog/spdlog-inl.h>

#include <mutex>

namespace spdlog {

template class SPDLOG_API sinks::base_sink<std::mutex>;
template class SPDLOG_API sinks::base_sink<details::null_mutex>;

template class SPDLOG_API sinks::basic_file_sink<std::mutex>;
template class SPDLOG_API sinks::basic_file_sink<details::null_mutex>;

template class SPDLOG_API sinks::stdout_sink_base<details::console_mutex>;
template class SPDLOG_API sinks::stdout_sink_base<details::console_nullmutex>;
template class SPDLOG_API sinks::stdout_sink<details::console_mutex>;
template class SPDLOG_API sinks::stdout_sink<details::console_nullmutex>;
template class SPDLOG_API sinks::stderr_sink<details::console_mutex>;
template class SPDLOG_API sinks::stderr_sink<details::console_nullmutex>;

template class SPDLOG_API sinks::ansicolor_sink<details::console_mutex>;
template class SPDLOG_API sinks::ansicolor_sink<details::console_nullmutex>;
template class SPDLOG_API sinks::ansicolor_stdout_sink<details::console_mutex>;
template class SPDLOG_API sinks::ansicolor_stdout_sink<details::console_nullmutex>;
template class SPDLOG_API sinks::ansicolor_stderr_sink<details::console_mutex>;
template class SPDLOG_API sinks::ansicolor_stderr_sink<details::console_nullmutex>;

template SPDLOG_API std::shared_ptr<logger> stdout_color_mt<synchronous_factory>(
    const std::string& logger_name, color_mode mode);
template SPDLOG_API std::shared_ptr<logger> stdout_color_st<synchronous_factory>(
    const std::string& logger_name, color_mode mode);
template SPDLOG_API std::shared_ptr<logger> stderr_color_mt<synchronous_factory>(
    const std::string& logger_name, color_mode mode);
template SPDLOG_API std::shared_ptr<logger> stderr_color_st<synchronous_factory>(
    const std::string& logger_name, color_mode mode);

template SPDLOG_API std::shared_ptr<logger> stdout_logger_mt<synchronous_factory>(
    const std::string& logger_name);
template SPDLOG_API std::shared_ptr<logger> stdout_logger_st<synchronous_factory>(
    const std::string& logger_name);
template SPDLOG_API std::shared_ptr<logger> stderr_logger_mt<synchronous_factory>(
    const std::string& logger_name);
template SPDLOG_API std::shared_ptr<logger> stderr_logger_st<synchronous_factory>(
    const std::string& logger_name);

// The logger constructor over an initializer list of sinks.
template SPDLOG_API logger::logger(std::string name, sinks_init_list::iterator begin,
                                   sinks_init_list::iterator end);

}  // namespace spdlog
