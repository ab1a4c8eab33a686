#include "emulator/services/s3/aws_chunked_decoder.h"

#include <algorithm>
#include <cctype>

namespace fogbank::s3 {

namespace {

// A chunk header or trailer longer than this is not aws-chunked; stop before buffering it all.
constexpr std::size_t kMaxLine = 8192;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

bool AwsChunkedDecoder::fail(std::string message) {
    state_ = State::Failed;
    error_ = std::move(message);
    return false;
}

bool AwsChunkedDecoder::sizeLine(std::string_view line) {
    const std::string_view sizeText = trim(line.substr(0, line.find(';')));
    if (sizeText.empty() || sizeText.size() > 15)
        return fail("a chunk size is missing or too long");
    std::uint64_t size = 0;
    for (char c : sizeText) {
        const auto u = static_cast<unsigned char>(c);
        if (!std::isxdigit(u))
            return fail("a chunk size is not hexadecimal: " + std::string(sizeText));
        size = size * 16 +
               static_cast<std::uint64_t>(std::isdigit(u) ? u - '0' : std::tolower(u) - 'a' + 10);
    }
    remaining_ = size;
    state_ = size == 0 ? State::Trailers : State::Data;
    return true;
}

bool AwsChunkedDecoder::trailerLine(std::string_view line) {
    line = trim(line);
    if (line.empty()) {
        state_ = State::Done;
        return true;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return fail("a trailer has no colon: " + std::string(line.substr(0, 80)));
    std::string name(trim(line.substr(0, colon)));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    trailers_[name] = std::string(trim(line.substr(colon + 1)));
    return true;
}

bool AwsChunkedDecoder::feed(std::string_view bytes) {
    while (!bytes.empty()) {
        switch (state_) {
            case State::Failed:
                return false;
            case State::Done:
                return true;  // what follows the trailers' empty line is ignored, as S3 does
            case State::Data: {
                const auto n =
                    static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
                sink_(bytes.substr(0, n));
                decoded_ += n;
                remaining_ -= n;
                bytes.remove_prefix(n);
                if (remaining_ == 0) {
                    state_ = State::DataEnd;
                    line_.clear();
                }
                break;
            }
            case State::DataEnd:
            case State::SizeLine:
            case State::Trailers: {
                const auto end = bytes.find('\n');
                line_.append(bytes.substr(0, end));
                if (line_.size() > kMaxLine) return fail("a chunk header line is too long");
                if (end == std::string_view::npos) return true;
                bytes.remove_prefix(end + 1);
                if (!line_.empty() && line_.back() == '\r') line_.pop_back();
                const std::string line = std::move(line_);
                line_.clear();
                if (state_ == State::DataEnd) {
                    if (!line.empty()) return fail("a chunk is longer than its declared size");
                    state_ = State::SizeLine;
                } else if (state_ == State::SizeLine) {
                    if (!sizeLine(line)) return false;
                } else if (!trailerLine(line)) {
                    return false;
                }
                break;
            }
        }
    }
    return state_ != State::Failed;
}

bool AwsChunkedDecoder::finish() {
    if (state_ == State::Failed) return false;
    // The trailers' closing empty line is optional at the very end of the body.
    if (state_ == State::Trailers) {
        if (!line_.empty() && !trailerLine(line_)) return false;
        state_ = State::Done;
    }
    if (state_ != State::Done)
        return fail(state_ == State::Data ? "a chunk is shorter than its declared size (" +
                                                std::to_string(remaining_) + " bytes missing)"
                                          : "the body ended before its final zero-sized chunk");
    return true;
}

}  // namespace fogbank::s3
