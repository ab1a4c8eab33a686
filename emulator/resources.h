// Where the files Fogbank ships (runtime bootstraps, price tables, event templates) are found.
#pragma once

#include <filesystem>

namespace fogbank {

// FOGBANK_RESOURCES if set; else share/fogbank/resources beside an installed executable; else the
// source tree's resources/ (a build that has not been installed).
std::filesystem::path resourcesDir();

}  // namespace fogbank
