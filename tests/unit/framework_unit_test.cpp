// A framework is one data table plus one unit in the registry list: this test adds
// a fourth, made-up framework ("fakeflow") that way, in the test only, and takes a
// profile through resolve, check and render with it. No other source knows it.
#include "check/check.hpp"
#include "check/check_context.hpp"
#include "core/embedded.hpp"
#include "frameworks/registry.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/table_reader.hpp"
#include "load/load_profile.hpp"
#include "render/render.hpp"
#include "resolve/resolve.hpp"
#include "resolve/resolve_versions_detail.hpp"

#include <gtest/gtest.h>

#include <any>

namespace cudagen {
namespace {

// --- the data: one table, with its source and read date ----------------------------------
const char* const k_fakeflow_yaml = R"(releases:
  source: made up for tests/unit/framework_unit_test.cpp (no such framework)
  read: 2026-11-30
  rows:
    - {version: "1.0.0", cuda: "12.4", python: {min: "3.10", max: "3.12"}, archs: ["8.0", "9.0"]}
    - {version: "1.1.0", cuda: "12.8", python: {min: "3.10", max: "3.13"}, archs: ["8.0", "9.0", "10.0"], unconfirmed: true}
)";

struct FakeRelease {
    Version version;
    Version cuda;
    PythonRange python;
    std::vector<std::string> archs;
};

struct FakeflowRows {
    std::vector<FakeRelease> releases;  // oldest first
    PypiReleases pypi;
};

const FakeflowRows& rows_of(const KnowledgeTables& tables)
{
    return *std::any_cast<FakeflowRows>(&tables.framework_rows.at("fakeflow"));
}

// --- the unit ----------------------------------------------------------------------------
class FakeChoice : public FrameworkChoice {
public:
    explicit FakeChoice(const FakeRelease& release) : m_release(release) {}

    const ImageRelease* pick_cuda(const detail::VersionContext& context, std::string& reason) const override
    {
        reason = "fakeflow " + m_release.version.str() + " is built with CUDA " + m_release.cuda.str();
        return context.tables.current_image(m_release.cuda.major(), m_release.cuda.minor());
    }
    std::string brings_cuda(const ResolvedFramework& /*framework*/) const override { return "fakeflow's wheels"; }
    bool resolve_details(detail::VersionContext& context) override
    {
        ResolvedFramework& framework = *context.out.framework;
        std::string variant = "cu" + std::to_string(m_release.cuda.major()) + std::to_string(m_release.cuda.minor());
        framework.cuda_variant = detail::resolved(variant, Origin::derived, "fakeflow's only build");
        framework.cuda_version = m_release.cuda.str();
        framework.index_url = detail::resolved(std::string(), Origin::default_value, "fakeflow comes from PyPI");
        framework.arch_list = m_release.archs;
        framework.requirements.push_back(detail::pip_pin("fakeflow", framework.version.value));
        return detail::reject_companions(context);
    }
    PythonRange python_range() const override { return m_release.python; }
    void check_cuda(const checks::CheckContext& context) const override
    {
        if (m_release.cuda.major() != context.cuda.major()) {
            context.report("framework/two-cuda-runtimes",
                           context.framework_label() + " brings CUDA " + m_release.cuda.str() + " into a CUDA " +
                               context.cuda.str() + " image",
                           context.cuda_where(), "leave cuda out");
        }
    }
    int bundled_cuda_major() const override { return m_release.cuda.major(); }

private:
    const FakeRelease& m_release;
};

class Fakeflow : public Framework {
public:
    std::string_view name() const override { return "fakeflow"; }
    std::string_view package() const override { return "fakeflow"; }
    std::string_view title() const override { return "Fakeflow"; }
    std::string_view data_file() const override { return "fakeflow.yaml"; }

    void load(TableReader& reader, const DataNode& root, KnowledgeTables& out) const override
    {
        FakeflowRows rows;
        for (const auto& row : reader.table(root, "releases", out)) {
            rows.releases.push_back({reader.version(row, "version"), reader.version(row, "cuda"),
                                     read_python_range(reader, row["python"]), reader.strings(row, "archs")});
            rows.pypi.versions.push_back(rows.releases.back().version);
        }
        rows.pypi.read = reader.text(root["releases"], "read");
        out.framework_rows["fakeflow"] = std::move(rows);
    }
    const PypiReleases& pypi(const KnowledgeTables& tables) const override { return rows_of(tables).pypi; }
    std::vector<Version> known_versions(const KnowledgeTables& tables) const override { return pypi(tables).versions; }
    Version default_version(const KnowledgeTables& tables) const override { return known_versions(tables).back(); }
    std::vector<Version> init_versions(const KnowledgeTables& tables) const override { return known_versions(tables); }

    bool choose(detail::VersionContext& context, const Version& wanted) const override
    {
        for (const auto& release : rows_of(context.tables).releases) {
            if (release.version.starts_with(wanted)) {
                context.choice = std::make_shared<FakeChoice>(release);
                context.out.framework->version = detail::resolved(release.version.str(), Origin::profile, "as written");
                context.out.framework->pinned = release.version;
                return true;
            }
        }
        return detail::report_unknown_version(context, wanted, known_versions(context.tables));
    }
    void resolve_unchecked(detail::VersionContext& context, const Version& /*cuda*/) const override
    {
        context.out.framework->requirements.push_back(
            detail::pip_pin("fakeflow", context.out.framework->version.value));
    }
};

// --- the registry of this test: the built-in list plus the fake ---------------------------
const Knowledge& knowledge_with_fakeflow()
{
    static const Fakeflow k_fakeflow;
    static const std::unique_ptr<Knowledge> k_knowledge = [] {
        std::map<std::string, std::string> texts;
        for (std::string_view name : embedded_names()) {
            if (name.starts_with("generator/data/") && name.ends_with(".yaml")) {
                texts[std::string(name)] = std::string(*embedded_file(name));
            }
        }
        texts["generator/data/fakeflow.yaml"] = k_fakeflow_yaml;
        FrameworkList frameworks = builtin_frameworks();
        frameworks.push_back(&k_fakeflow);
        Diagnostics diagnostics;
        auto knowledge = Knowledge::from_texts(texts, diagnostics, frameworks);
        for (const auto& d : diagnostics.items()) {
            ADD_FAILURE() << format_diagnostic(d);
        }
        return knowledge;
    }();
    return *k_knowledge;
}

struct FakeRun {
    std::optional<RawProfile> raw;
    std::optional<ResolvedProfile> resolved;
    Diagnostics diagnostics;
};

// The profile schema names the built-in frameworks only, so the profile is written with
// one of them and its name swapped to the fake after loading.
FakeRun resolve_fakeflow(const std::string& text, const Knowledge& knowledge = knowledge_with_fakeflow(),
                         bool drop_version = false)
{
    FakeRun run;
    run.raw = load_profile_from_string("name: svc\n" + text, "profile.yaml", "/tmp/ctx", run.diagnostics);
    if (!run.raw || !run.raw->framework) {
        ADD_FAILURE() << "profile did not load";
        return run;
    }
    run.raw->framework->name.value = "fakeflow";
    if (drop_version) {  // the schema wants a version; resolve takes the newest when there is none
        run.raw->framework->version = LocatedString{};
    }
    run.resolved = resolve(*run.raw, knowledge, {}, run.diagnostics);
    if (run.resolved) {
        run_checks(*run.raw, *run.resolved, knowledge, {}, run.diagnostics);
    }
    return run;
}

std::string dump(const Diagnostics& diagnostics)
{
    std::string out;
    for (const auto& d : diagnostics.items()) {
        out += format_diagnostic(d);
    }
    return out;
}

TEST(FrameworkUnit, FakeTableLoadsWithItsSourceAndReadDate)
{
    const KnowledgeTables& tables = knowledge_with_fakeflow().tables();
    auto found = std::find_if(tables.tables.begin(), tables.tables.end(),
                              [](const TableInfo& t) { return t.file == "fakeflow.yaml"; });
    ASSERT_NE(found, tables.tables.end());
    EXPECT_EQ(found->name, "releases");
    EXPECT_EQ(found->read, "2026-11-30");
    EXPECT_EQ(found->rows, 2u);
    EXPECT_EQ(rows_of(tables).releases.back().version, Version({1, 1, 0}));
}

TEST(FrameworkUnit, FakeFrameworkResolvesFromItsRows)
{
    FakeRun run = resolve_fakeflow("framework: {name: pytorch, version: \"1.0\"}\n");
    ASSERT_TRUE(run.resolved) << dump(run.diagnostics);
    const ResolvedProfile& p = *run.resolved;
    EXPECT_EQ(p.framework->name, "fakeflow");
    EXPECT_EQ(p.framework->version.value, "1.0.0");
    EXPECT_EQ(p.framework->pinned, Version({1, 0, 0}));
    EXPECT_EQ(p.cuda.value, "12.4.1");
    EXPECT_EQ(p.cuda.reason, "fakeflow 1.0.0 is built with CUDA 12.4");
    EXPECT_EQ(p.framework->requirements, std::vector<std::string>({"fakeflow==1.0.0"}));
    EXPECT_EQ(p.runtime_flavor, "os");  // its wheels bring the CUDA libraries: the runtime is the plain OS
    EXPECT_EQ(p.torch_cuda_arch_list, "8.0;9.0+PTX");
    EXPECT_EQ(p.gpu_archs.reason, "the archs of the fakeflow 1.0.0 cu124 wheel that CUDA 12.4.1 can compile");
    EXPECT_FALSE(run.diagnostics.has_errors()) << dump(run.diagnostics);
}

TEST(FrameworkUnit, FakeFrameworkDefaultsToItsNewestRelease)
{
    FakeRun run = resolve_fakeflow("framework: {name: pytorch, version: \"1.0\"}\n", knowledge_with_fakeflow(), true);
    ASSERT_TRUE(run.resolved) << dump(run.diagnostics);
    EXPECT_EQ(run.resolved->framework->version.value, "1.1.0");
    EXPECT_EQ(run.resolved->framework->version.reason, "newest fakeflow release in the tables");
    EXPECT_EQ(run.resolved->cuda.value.substr(0, 5), "12.8.");
}

TEST(FrameworkUnit, FakeFrameworkUnknownVersionNamesItsTable)
{
    FakeRun run = resolve_fakeflow("framework: {name: pytorch, version: \"1.0.5\"}\n");
    EXPECT_FALSE(run.resolved);
    ASSERT_EQ(run.diagnostics.items().size(), 1u) << dump(run.diagnostics);
    EXPECT_EQ(run.diagnostics.items()[0].message,
              "fakeflow 1.0.5 is not in the Fakeflow table (known: 1.0.0 to 1.1.0)");
    EXPECT_EQ(run.diagnostics.items()[0].fix, "did you mean '1.0.0'? use a version cudagen knows (e.g. 1.1.0)");
}

TEST(FrameworkUnit, FakeFrameworkChecksItsCuda)
{
    FakeRun run = resolve_fakeflow("cuda: \"13.0\"\nframework: {name: pytorch, version: \"1.0\"}\n");
    ASSERT_TRUE(run.resolved);
    ASSERT_EQ(run.diagnostics.items().size(), 1u) << dump(run.diagnostics);
    const Diagnostic& d = run.diagnostics.items()[0];
    EXPECT_EQ(d.code, "framework/two-cuda-runtimes");
    EXPECT_EQ(d.message, "fakeflow 1.0.0 brings CUDA 12.4 into a CUDA 13.0.2 image");
}

TEST(FrameworkUnit, FakeFrameworkPythonRangeIsChecked)
{
    FakeRun run = resolve_fakeflow("python: \"3.9\"\nframework: {name: pytorch, version: \"1.0\"}\n");
    ASSERT_TRUE(run.resolved);
    ASSERT_EQ(run.diagnostics.items().size(), 1u) << dump(run.diagnostics);
    EXPECT_EQ(run.diagnostics.items()[0].code, "python/out-of-range");
    EXPECT_EQ(run.diagnostics.items()[0].message, "Python 3.9 is outside fakeflow 1.0.0's range 3.10-3.12");
}

TEST(FrameworkUnit, FakeFrameworkRendersItsPinnedInstall)
{
    FakeRun run = resolve_fakeflow("framework: {name: pytorch, version: \"1.0\"}\n");
    ASSERT_TRUE(run.resolved);
    Diagnostics diagnostics;
    auto dockerfile = render_dockerfile(*run.resolved, diagnostics);
    ASSERT_TRUE(dockerfile) << dump(diagnostics);
    EXPECT_NE(dockerfile->find("fakeflow==1.0.0"), std::string::npos);
    EXPECT_NE(dockerfile->find("# From PyPI, pinned exactly; the [cu124] extra brings the CUDA libraries"),
              std::string::npos);
    EXPECT_NE(dockerfile->find("nvidia/cuda:12.4.1-devel-"), std::string::npos);
}

// A pin of the framework in a user's requirements or environment file is recognised by
// the package names its unit gives; no data file lists them a second time.
TEST(FrameworkUnit, FakePackageNamesComeFromItsUnit)
{
    const UserPinTables& pins = knowledge_with_fakeflow().tables().user_pins;
    const FrameworkPackages* pip = pins.framework_of("fakeflow", false);
    ASSERT_NE(pip, nullptr);
    EXPECT_EQ(pip->framework, "fakeflow");
    EXPECT_EQ(pip->label, "fakeflow");
    EXPECT_EQ(pins.framework_of("fakeflow", true), pip);
    ASSERT_EQ(pins.frameworks.size(), builtin_frameworks().size() + 1);
    for (const Framework* unit : builtin_frameworks()) {
        const FrameworkPackages* row = Knowledge::builtin().tables().user_pins.framework(unit->name());
        ASSERT_NE(row, nullptr) << unit->name();
        EXPECT_EQ(row->pip, std::vector<std::string>{std::string(unit->package())});
        EXPECT_EQ(row->conda.size(), unit->conda_packages().size()) << unit->name();
    }
    EXPECT_EQ(Knowledge::builtin().tables().user_pins.framework_of("pytorch-gpu", true)->framework, "pytorch");
    EXPECT_EQ(Knowledge::builtin().tables().user_pins.framework_of("tensorflow", false)->label, "tensorflow");
}

TEST(FrameworkUnit, BuiltinTablesDoNotKnowTheFake)
{
    FakeRun run = resolve_fakeflow("framework: {name: pytorch, version: \"1.0\"}\n", Knowledge::builtin());
    EXPECT_FALSE(run.resolved);
    ASSERT_FALSE(run.diagnostics.items().empty());
    EXPECT_EQ(run.diagnostics.items()[0].code, "framework/unknown-name");
    EXPECT_EQ(run.diagnostics.items()[0].message, "unknown framework 'fakeflow'");
}

}  // namespace
}  // namespace cudagen
