// How Fogbank writes an amount of money, in the CLI and the window alike.
#pragma once

#include <string>

namespace fogbank {

// "$0.00000210" for tiny amounts, "$12.35" for large ones, "-$0.200" for an allowance: bills of a
// laptop's test traffic are fractions of a cent, and rounding them to $0.00 would hide
// everything. Three significant digits below a dollar, cents above.
std::string usdText(double amount);

}  // namespace fogbank
