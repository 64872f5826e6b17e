#include "constellation/store/meta.h"

#include <SQLiteCpp/Statement.h>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_generators.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace constellation::store {

Result<std::string> node_id(Database& db) {
  std::string id;
  // One transaction: two processes opening a fresh store agree on one id.
  Status st = db.write("read node id", [&](SQLite::Database& sql) {
    SQLite::Statement insert(sql, "INSERT OR IGNORE INTO meta (key, value) VALUES ('node_id', ?)");
    insert.bind(1, boost::uuids::to_string(boost::uuids::random_generator()()));
    insert.exec();
    id = sql.execAndGet("SELECT value FROM meta WHERE key = 'node_id'").getString();
  });
  if (!st) return st.error();
  return id;
}

}  // namespace constellation::store
