#include "emulator/services/s3/content_types.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace fogbank::s3 {

std::string contentTypeFor(const std::filesystem::path& file) {
    static const std::map<std::string, std::string> kTypes = {
        {".txt", "text/plain"},         {".log", "text/plain"},
        {".md", "text/markdown"},       {".csv", "text/csv"},
        {".html", "text/html"},         {".htm", "text/html"},
        {".css", "text/css"},           {".js", "text/javascript"},
        {".mjs", "text/javascript"},    {".json", "application/json"},
        {".xml", "application/xml"},    {".yaml", "application/x-yaml"},
        {".yml", "application/x-yaml"}, {".pdf", "application/pdf"},
        {".zip", "application/zip"},    {".gz", "application/gzip"},
        {".tar", "application/x-tar"},  {".png", "image/png"},
        {".jpg", "image/jpeg"},         {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},          {".webp", "image/webp"},
        {".svg", "image/svg+xml"},      {".ico", "image/vnd.microsoft.icon"},
        {".bmp", "image/bmp"},          {".mp4", "video/mp4"},
        {".mp3", "audio/mpeg"},         {".wasm", "application/wasm"},
    };
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto it = kTypes.find(ext);
    return it == kTypes.end() ? "binary/octet-stream" : it->second;
}

}  // namespace fogbank::s3
