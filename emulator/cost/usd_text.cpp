#include "emulator/cost/usd_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace fogbank {

std::string usdText(double amount) {
    // Sums of credits and charges leave float dust where the answer is nothing.
    if (std::abs(amount) < 1e-12) return "$0";
    const double magnitude = std::abs(amount);
    const char* sign = amount < 0 ? "-" : "";
    if (magnitude >= 1) return fmt::format("{}${:.2f}", sign, magnitude);
    const int decimals = std::clamp(2 - static_cast<int>(std::floor(std::log10(magnitude))), 2, 12);
    return fmt::format("{}${:.{}f}", sign, magnitude, decimals);
}

}  // namespace fogbank
