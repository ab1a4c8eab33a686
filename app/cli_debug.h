// What `invoke --debug` and `serve --debug` share: telling the user, for every invocation that
// waits for an IDE, where and how to attach.
#pragma once

#include "emulator/debug/debugger.h"

namespace fogbank::cli {

class AttachInstructions : public debug::DebugObserver {
  public:
    void waitingForIde(const debug::SessionInfo& session) override;
};

}  // namespace fogbank::cli
