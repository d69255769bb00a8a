#include "log.h"

#include <cstdio>
#include <syslog.h>

namespace iet::log {
namespace {
bool g_stderr = true;
int g_debug = 0;
} // namespace

void init(bool to_stderr, int debug_level)
{
	g_stderr = to_stderr;
	g_debug = debug_level;
	if (!to_stderr)
		openlog("ietd", LOG_PID, LOG_DAEMON);
}

void write(Level level, const std::string &msg)
{
	// Debug lines only when asked for with -d; everything else always.
	if (level == Level::Debug && g_debug <= 0)
		return;
	static const char *const names[] = {"error", "warning", "info", "debug"};
	static const int prio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
	int i = static_cast<int>(level);
	if (g_stderr)
		std::fprintf(stderr, "ietd: %s: %s\n", names[i], msg.c_str());
	else
		syslog(prio[i], "%s", msg.c_str());
}

} // namespace iet::log
