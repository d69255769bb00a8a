// error.h - the one error/result type of ietd and ietadm.
#pragma once
#include <expected>
#include <string>
#include <utility>

namespace iet {

struct Error {
	std::string msg;
	int err = 0;	// errno when an OS or kernel call failed, else 0
};

template <class T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(std::string msg, int err = 0)
{
	return std::unexpected<Error>(Error{std::move(msg), err});
}

} // namespace iet
