// One generic writer and reader over the table types below. Each row type lists
// its members once (members()); a static_assert counts the members of every row
// struct, so a field added to a row without adding it here does not compile.
#include "knowledge/table_archive.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

namespace cudagen {

namespace archive_detail {

// Converts to any member type; only named in unevaluated checks (member_count), so never
// defined. Outside the anonymous namespace: clang rejects an undefined internal function.
struct AnyMember {
    template <class T>
    operator T() const;  // NOLINT(google-explicit-constructor): converts to every member type on purpose
};

}  // namespace archive_detail

namespace {

using archive_detail::AnyMember;

// The format's name and revision: change it when the layout of the bytes changes.
constexpr std::string_view k_magic = "cudagen knowledge tables 1\n";

// --- the members of each row type, in declaration order ---------------------------
constexpr auto members(std::type_identity<TableInfo> /*type*/)
{
    return std::tuple(&TableInfo::file, &TableInfo::name, &TableInfo::source, &TableInfo::read, &TableInfo::rows);
}
constexpr auto members(std::type_identity<MvcFloor> /*type*/)
{
    return std::tuple(&MvcFloor::major, &MvcFloor::min_driver);
}
constexpr auto members(std::type_identity<ToolkitDriver> /*type*/)
{
    return std::tuple(&ToolkitDriver::cuda, &ToolkitDriver::driver, &ToolkitDriver::unconfirmed);
}
constexpr auto members(std::type_identity<NvccTarget> /*type*/)
{
    return std::tuple(&NvccTarget::sm, &NvccTarget::number, &NvccTarget::suffix, &NvccTarget::min_cuda,
                      &NvccTarget::max_cuda, &NvccTarget::unconfirmed);
}
constexpr auto members(std::type_identity<ImageOs> /*type*/)
{
    return std::tuple(&ImageOs::token, &ImageOs::arches);
}
constexpr auto members(std::type_identity<ImageRelease> /*type*/)
{
    return std::tuple(&ImageRelease::cuda, &ImageRelease::unconfirmed, &ImageRelease::eol, &ImageRelease::inherited,
                      &ImageRelease::cudnn_flavor, &ImageRelease::cudnn, &ImageRelease::fc_branches,
                      &ImageRelease::fc_geforce, &ImageRelease::os, &ImageRelease::no_cudnn_os, &ImageRelease::note);
}
constexpr auto members(std::type_identity<GpuModel> /*type*/)
{
    return std::tuple(&GpuModel::major, &GpuModel::minor, &GpuModel::arch, &GpuModel::brand, &GpuModel::names,
                      &GpuModel::unconfirmed);
}
constexpr auto members(std::type_identity<DriverFloor> /*type*/)
{
    return std::tuple(&DriverFloor::cc, &DriverFloor::min_driver, &DriverFloor::unconfirmed, &DriverFloor::note);
}
constexpr auto members(std::type_identity<JetsonBase> /*type*/)
{
    return std::tuple(&JetsonBase::cc, &JetsonBase::base, &JetsonBase::sbsa_from_cuda);
}
constexpr auto members(std::type_identity<OsPython> /*type*/)
{
    return std::tuple(&OsPython::os, &OsPython::python, &OsPython::family, &OsPython::unconfirmed);
}
constexpr auto members(std::type_identity<CondaCudaPackage> /*type*/)
{
    return std::tuple(&CondaCudaPackage::name, &CondaCudaPackage::build_contains, &CondaCudaPackage::brings);
}
constexpr auto members(std::type_identity<MicromambaRelease> /*type*/)
{
    return std::tuple(&MicromambaRelease::version, &MicromambaRelease::file, &MicromambaRelease::sha256);
}
constexpr auto members(std::type_identity<PythonRange> /*type*/)
{
    return std::tuple(&PythonRange::min, &PythonRange::max, &PythonRange::experimental);
}
constexpr auto members(std::type_identity<TorchVariant> /*type*/)
{
    return std::tuple(&TorchVariant::name, &TorchVariant::cuda, &TorchVariant::experimental, &TorchVariant::arch_list,
                      &TorchVariant::ptx, &TorchVariant::unconfirmed);
}
constexpr auto members(std::type_identity<PypiWheel> /*type*/)
{
    return std::tuple(&PypiWheel::variant, &PypiWheel::cuda, &PypiWheel::cudnn);
}
constexpr auto members(std::type_identity<TorchPatch> /*type*/)
{
    return std::tuple(&TorchPatch::version, &TorchPatch::torchvision, &TorchPatch::torchaudio, &TorchPatch::unconfirmed,
                      &TorchPatch::python, &TorchPatch::pypi);
}
constexpr auto members(std::type_identity<PypiReleases> /*type*/)
{
    return std::tuple(&PypiReleases::read, &PypiReleases::versions);
}
constexpr auto members(std::type_identity<TorchRelease> /*type*/)
{
    return std::tuple(&TorchRelease::version, &TorchRelease::python, &TorchRelease::pypi_default,
                      &TorchRelease::pypi_default_unconfirmed, &TorchRelease::variants, &TorchRelease::patches,
                      &TorchRelease::note);
}
constexpr auto members(std::type_identity<TensorflowRelease> /*type*/)
{
    return std::tuple(&TensorflowRelease::version, &TensorflowRelease::python, &TensorflowRelease::cuda,
                      &TensorflowRelease::cudnn, &TensorflowRelease::pip_cuda, &TensorflowRelease::pypi);
}
constexpr auto members(std::type_identity<JaxExtra> /*type*/)
{
    return std::tuple(&JaxExtra::name, &JaxExtra::cuda_major, &JaxExtra::built_with, &JaxExtra::min_cuda,
                      &JaxExtra::min_driver, &JaxExtra::min_cc, &JaxExtra::since);
}
constexpr auto members(std::type_identity<JaxRelease> /*type*/)
{
    return std::tuple(&JaxRelease::version, &JaxRelease::python_min, &JaxRelease::extras,
                      &JaxRelease::plugin_platforms);
}
constexpr auto members(std::type_identity<TorchArm64Wheel> /*type*/)
{
    return std::tuple(&TorchArm64Wheel::from, &TorchArm64Wheel::to, &TorchArm64Wheel::variant,
                      &TorchArm64Wheel::arch_list, &TorchArm64Wheel::ptx, &TorchArm64Wheel::unconfirmed);
}
constexpr auto members(std::type_identity<FrameworkPackages> /*type*/)
{
    return std::tuple(&FrameworkPackages::framework, &FrameworkPackages::label, &FrameworkPackages::pip,
                      &FrameworkPackages::conda);
}
constexpr auto members(std::type_identity<CondaTorchBuilds> /*type*/)
{
    return std::tuple(&CondaTorchBuilds::pytorch, &CondaTorchBuilds::cuda, &CondaTorchBuilds::torchvision,
                      &CondaTorchBuilds::torchaudio, &CondaTorchBuilds::unconfirmed, &CondaTorchBuilds::note);
}
constexpr auto members(std::type_identity<KnownBreakage> /*type*/)
{
    return std::tuple(&KnownBreakage::package, &KnownBreakage::channel, &KnownBreakage::below, &KnownBreakage::needs,
                      &KnownBreakage::broken_from, &KnownBreakage::fixed_pin, &KnownBreakage::symptom,
                      &KnownBreakage::reference, &KnownBreakage::unconfirmed);
}
constexpr auto members(std::type_identity<PythonTool> /*type*/)
{
    return std::tuple(&PythonTool::name, &PythonTool::version);
}
constexpr auto members(std::type_identity<UserPinTables> /*type*/)
{
    return std::tuple(&UserPinTables::frameworks, &UserPinTables::cuda_packages, &UserPinTables::pytorch_channel,
                      &UserPinTables::breakages);
}
// Not `frameworks` (code, set by the loader of the archive) nor `framework_rows`
// (std::any, filled only by a test's own unit; the build tool refuses tables with any).
constexpr auto members(std::type_identity<KnowledgeTables> /*type*/)
{
    using T = KnowledgeTables;
    return std::tuple(&T::tables, &T::mvc_floors, &T::toolkit_drivers, &T::nvcc_targets, &T::nvcc_unconfirmed_cuda,
                      &T::images, &T::gpus, &T::driver_floors, &T::jetson_bases, &T::os_pythons, &T::micromamba,
                      &T::conda_cuda_packages, &T::torch, &T::torch_pypi, &T::tensorflow, &T::tensorflow_pypi,
                      &T::jax_extras, &T::jax, &T::jax_requirement_rows, &T::jax_pypi, &T::torch_arm64,
                      &T::cpu_only_arm64, &T::jax_newest_known, &T::user_pins, &T::python_tools);
}
template <class T>
concept Row = requires
{
    members(std::type_identity<T>{});
};

template <class T>
concept Number = std::is_arithmetic_v<T> || std::is_enum_v<T>;

template <class T>
struct IsVector : std::false_type {
};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {
};
template <class T>
struct IsMapOrSet : std::false_type {
};
template <class K, class V>
struct IsMapOrSet<std::map<K, V>> : std::true_type {
};
template <class T>
struct IsMapOrSet<std::set<T>> : std::true_type {
};
template <class T>
struct IsOptional : std::false_type {
};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {
};

// --- counting an aggregate's members (the check that members() lists them all) ---
template <class T, class... Given>
consteval std::size_t member_count()
{
    if constexpr (requires { T{Given{}..., AnyMember{}}; }) {
        return member_count<T, Given..., AnyMember>();
    } else {
        return sizeof...(Given);
    }
}

template <Row T>
consteval bool lists_every_member()
{
    constexpr std::size_t listed = std::tuple_size_v<decltype(members(std::type_identity<T>{}))>;
    if constexpr (std::is_same_v<T, KnowledgeTables>) {
        return true;  // std::any takes any initializer, so counting stops there
    } else {
        return member_count<T>() == listed;
    }
}

template <class... T>
consteval bool all_list_every_member()
{
    return (lists_every_member<T>() && ...);
}

static_assert(all_list_every_member<TableInfo, MvcFloor, ToolkitDriver, NvccTarget, ImageOs, ImageRelease, GpuModel,
                                    DriverFloor, JetsonBase, OsPython, CondaCudaPackage, MicromambaRelease, PythonRange,
                                    TorchVariant, PypiWheel, TorchPatch, PypiReleases, TorchRelease, TensorflowRelease,
                                    JaxExtra, JaxRelease, TorchArm64Wheel, FrameworkPackages, CondaTorchBuilds,
                                    KnownBreakage, UserPinTables, PythonTool>(),
              "a table row has a member that table_archive.cpp does not list in members()");

// --- writing ---------------------------------------------------------------------
class ArchiveWriter {
public:
    std::string take() { return std::move(m_out); }

    void put_size(std::size_t size) { put(static_cast<std::uint32_t>(size)); }

    template <class T>
    void put(const T& value)
    {
        if constexpr (Number<T>) {
            std::array<char, sizeof(T)> bytes{};
            std::memcpy(bytes.data(), &value, sizeof(T));
            m_out.append(bytes.data(), bytes.size());
        } else if constexpr (std::is_same_v<T, std::string>) {
            put_size(value.size());
            m_out += value;
        } else if constexpr (std::is_same_v<T, Version>) {
            put_size(value.size());
            for (int part : value.parts()) {
                put(part);
            }
            // The text only where the numbers do not spell it ("580.65.06"): most versions
            // then read without a string, and str() gives the same text either way.
            std::string text = value.str();
            put(text == Version(value.parts()).str() ? std::string() : text);
        } else if constexpr (IsOptional<T>::value) {
            put(value.has_value());
            if (value) {
                put(*value);
            }
        } else if constexpr (IsVector<T>::value || IsMapOrSet<T>::value) {
            put_size(value.size());
            for (const auto& item : value) {
                put(item);
            }
        } else if constexpr (Row<T>) {
            std::apply([&](auto... member) { (put(value.*member), ...); }, members(std::type_identity<T>{}));
        } else {
            put(value.first);
            put(value.second);
        }
    }

private:
    std::string m_out;
};

// --- reading ---------------------------------------------------------------------
class ArchiveReader {
public:
    explicit ArchiveReader(std::string_view in) : m_in(in) {}

    bool finished() const { return m_ok && m_in.empty(); }

    bool skip_prefix(std::string_view prefix)
    {
        m_ok = m_ok && m_in.starts_with(prefix);
        if (m_ok) {
            m_in.remove_prefix(prefix.size());
        }
        return m_ok;
    }

    // A count of items or bytes; each item takes at least one byte, so a count
    // larger than what is left is a broken archive (and reserves nothing).
    std::size_t get_size()
    {
        std::uint32_t size = 0;
        get(size);
        if (size > m_in.size()) {
            m_ok = false;
            return 0;
        }
        return size;
    }

    template <class T>
    void get(T& value)
    {
        if constexpr (std::is_same_v<T, bool>) {
            // One byte, 0 or 1: any other byte is a broken archive (and copying it into a
            // bool would be undefined behaviour).
            std::uint8_t byte = 0;
            get(byte);
            m_ok = m_ok && byte <= 1;
            value = byte == 1;
        } else if constexpr (Number<T>) {
            if (m_in.size() < sizeof(T)) {
                m_ok = false;
                return;
            }
            std::memcpy(&value, m_in.data(), sizeof(T));
            m_in.remove_prefix(sizeof(T));
        } else if constexpr (std::is_same_v<T, std::string>) {
            std::size_t size = get_size();
            value.assign(m_in.data(), size);
            m_in.remove_prefix(size);
        } else if constexpr (std::is_same_v<T, Version>) {
            get_version(value);
        } else if constexpr (IsOptional<T>::value) {
            get_optional(value);
        } else if constexpr (IsVector<T>::value) {
            get_vector(value);
        } else if constexpr (IsMapOrSet<T>::value) {
            get_sorted(value);
        } else {
            static_assert(Row<T>);
            std::apply([&](auto... member) { (get(value.*member), ...); }, members(std::type_identity<T>{}));
        }
    }

private:
    // The numbers in one copy, then the text (empty where the numbers spell it).
    void get_version(Version& value)
    {
        std::size_t count = get_size();
        std::array<int, Version::k_max_parts> parts{};
        if (count > parts.size() || m_in.size() < count * sizeof(int)) {
            m_ok = false;
            return;
        }
        std::memcpy(parts.data(), m_in.data(), count * sizeof(int));
        m_in.remove_prefix(count * sizeof(int));
        std::size_t size = get_size();
        std::span<const int> numbers(parts.data(), count);
        value = size == 0 ? Version(numbers) : Version(numbers, std::string(m_in.substr(0, size)));
        m_in.remove_prefix(size);
    }

    template <class T>
    void get_optional(std::optional<T>& value)
    {
        bool present = false;
        get(present);
        value.reset();
        if (present) {
            get(value.emplace());
        }
    }

    template <class T>
    void get_vector(std::vector<T>& value)
    {
        std::size_t size = get_size();
        value.clear();
        value.reserve(size);
        for (std::size_t i = 0; i < size && m_ok; ++i) {
            get(value.emplace_back());
        }
    }

    // Maps and sets were written in order, so each item goes in at the end.
    template <class Container>
    void get_sorted(Container& value)
    {
        std::size_t size = get_size();
        value.clear();
        for (std::size_t i = 0; i < size && m_ok; ++i) {
            typename Container::key_type key;
            get(key);
            if constexpr (requires { typename Container::mapped_type; }) {
                typename Container::mapped_type mapped;
                get(mapped);
                value.emplace_hint(value.end(), std::move(key), std::move(mapped));
            } else {
                value.emplace_hint(value.end(), std::move(key));
            }
        }
    }

    std::string_view m_in;
    bool m_ok = true;
};

}  // namespace

std::string write_table_archive(const KnowledgeTables& tables)
{
    ArchiveWriter writer;
    for (char c : k_magic) {
        writer.put(c);
    }
    writer.put(tables);
    return writer.take();
}

bool read_table_archive(std::string_view archive, KnowledgeTables& tables)
{
    ArchiveReader reader(archive);
    if (!reader.skip_prefix(k_magic)) {
        return false;
    }
    reader.get(tables);
    return reader.finished();
}

}  // namespace cudagen
