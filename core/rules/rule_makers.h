#pragma once
// Internal: one maker per rule family. Each reads its parameters through RuleParams (which reports
// unknown and malformed ones) and returns the rule, or nullptr when `params` collected errors.

#include "shardsim/rules/rule_factory.h"
#include "shardsim/rules/rule_spec.h"
#include "shardsim/rules/shard_rule.h"

namespace shardsim::rules {

// Arithmetic rules from the sources (core/rules/arithmetic/).
ShardRulePtr makeModRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeHashModRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeRangeRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeRangeModRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeGeoRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeDirectoryRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeDbTableRule(RuleParams& params, const RuleContext& context);

// Ranges that split, merge and move as a real system's do (core/rules/auto_range/).
ShardRulePtr makeAutoRangeRule(RuleParams& params, const RuleContext& context);

// Minimal-movement schemes (core/rules/consistent/).
ShardRulePtr makeRingRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeJumpRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeRendezvousRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeRendezvousSkeletonRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeMaglevRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeBoundedRule(RuleParams& params, const RuleContext& context);

// Bit-exact with real systems (core/rules/systems/).
ShardRulePtr makeVitessHashRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeVitessXxhashRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeVitessNumericRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeCassandraMurmur3Rule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeMongoHashedRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeRedisClusterRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeKafkaRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeElasticsearchRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeCitusRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeGuavaRule(RuleParams& params, const RuleContext& context);

// Sharding middlewares and cache/proxy balancers, bit-exact (core/rules/systems/).
ShardRulePtr makeShardingSphereModRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeShardingSphereHashModRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeShardingSphereVolumeRangeRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeShardingSphereBoundaryRangeRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeShardingSphereIntervalRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeShardingSphereAutoIntervalRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeMycatLongRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeMycatMurmurRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeMycatCrc32SlotRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeKetamaRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeEnvoyRingRule(RuleParams& params, const RuleContext& context);
ShardRulePtr makeEnvoyMaglevRule(RuleParams& params, const RuleContext& context);

} // namespace shardsim::rules
