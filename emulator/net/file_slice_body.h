// A Beast body that sends `length` bytes of an open file from `offset`: S3 objects go out of their
// blob file to the socket a chunk at a time, never whole in memory. (Beast's own file_body always
// sends the whole file from where it stands, so ranged reads could not use it.)
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>

namespace fogbank::net {

struct FileSlice {
    boost::beast::file file;  // open for reading
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct FileSliceBody {
    using value_type = FileSlice;

    static std::uint64_t size(const value_type& body) { return body.length; }

    class writer {
      public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool isRequest, class Fields>
        writer(boost::beast::http::header<isRequest, Fields>&, value_type& body)
            : body_(body), remaining_(body.length) {}

        void init(boost::beast::error_code& ec) {
            ec = {};
            body_.file.seek(body_.offset, ec);
        }

        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
            ec = {};
            if (remaining_ == 0) return boost::none;
            if (!buffer_) buffer_ = std::make_unique<char[]>(kChunk);
            const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, kChunk));
            const std::size_t got = body_.file.read(buffer_.get(), want, ec);
            if (ec) return boost::none;
            if (got == 0) {
                // The file is shorter than the length promised in Content-Length.
                ec = boost::beast::errc::make_error_code(boost::beast::errc::io_error);
                return boost::none;
            }
            remaining_ -= got;
            return {{const_buffers_type(buffer_.get(), got), remaining_ > 0}};
        }

      private:
        static constexpr std::size_t kChunk = 256 * 1024;
        value_type& body_;
        std::uint64_t remaining_;
        std::unique_ptr<char[]> buffer_;
    };
};

using FileResponse = boost::beast::http::response<FileSliceBody>;

}  // namespace fogbank::net
