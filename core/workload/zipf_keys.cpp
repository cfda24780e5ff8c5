#include "shardsim/workload/zipf_keys.h"

#include <fmt/format.h>

namespace shardsim::workload {

ZipfKeys::ZipfKeys(double theta, uint64_t n)
    : m_ranks(theta, n)
{
}

std::string ZipfKeys::describe() const { return fmt::format("zipf(theta={:g})", m_ranks.theta()); }

} // namespace shardsim::workload
