// log.h - stderr in the foreground, syslog as a daemon.
#pragma once
#include <string>

namespace iet::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

void init(bool to_stderr, int debug_level);
void write(Level level, const std::string &msg);
inline void error(const std::string &m) { write(Level::Error, m); }
inline void warn(const std::string &m) { write(Level::Warn, m); }
inline void info(const std::string &m) { write(Level::Info, m); }
inline void debug(const std::string &m) { write(Level::Debug, m); }

} // namespace iet::log
