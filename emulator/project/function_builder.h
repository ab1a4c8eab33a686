// Private to emulator/project: turns an AWS::Serverless::Function or AWS::Lambda::Function into a
// FunctionSpec, checking each property the runtime relies on.
#pragma once

#include "emulator/project/intrinsics.h"
#include "emulator/project/resource_catalog.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace fogbank::detail {

struct FunctionContext {
    IntrinsicResolver& resolver;
    ResourceCatalog& catalog;
    std::filesystem::path rootDir;  // absolute; CodeUri is relative to it
    YAML::Node globals;             // Globals.Function, applied to AWS::Serverless::Function only
    std::vector<Warning>& warnings;
};

// nullopt when the function cannot be run locally at all (container images); a warning says why.
std::optional<FunctionSpec> buildFunction(const DeclaredResource& resource, FunctionContext& ctx);

}  // namespace fogbank::detail
