// The Content-Type a file is stored with when nobody says: guessed from its extension, as the
// aws CLI's `s3 cp` does, so that an object uploaded from the window is served like one
// uploaded from the CLI.
#pragma once

#include <filesystem>
#include <string>

namespace fogbank::s3 {

// "binary/octet-stream" (S3's own default) when the extension says nothing.
std::string contentTypeFor(const std::filesystem::path& file);

}  // namespace fogbank::s3
