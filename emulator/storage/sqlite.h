// A thin RAII layer over SQLite for every store in the engine (invocations today; objects and
// messages as those services land). Errors are exceptions that carry SQLite's message and the
// statement; nothing here swallows a failure.
//
// This folder owns durable state on disk. It must never know what the rows mean.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace fogbank {

class SqliteError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Statement {
  public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    // Parameters are 1-based, as in SQL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bindNull(int index);
    // Runs one step: true when a row is ready to read.
    bool step();
    // Ready for another run with new bindings.
    void reset();

    // Columns are 0-based, as in SQLite's API.
    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    bool isNull(int column) const;

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
  public:
    // Opens (creating) the file in WAL mode with synchronous=NORMAL: a commit survives a killed
    // process, which is the crash Fogbank promises to survive, without an fsync per commit.
    explicit Database(const std::filesystem::path& file, bool readOnly = false);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(db_, sql); }
    std::int64_t lastInsertId() const;
    int changes() const;

  private:
    sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when the scope is left by an exception.
class Transaction {
  public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

}  // namespace fogbank
