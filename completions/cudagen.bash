# bash completion for cudagen (generated from its command table; do not edit)
_cudagen() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} words=""
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W 'generate check resolve schema gpus verify build export doctor init ci completion --help --version' -- "$cur")
        return
    fi
    case ${COMP_WORDS[1]}:$prev in
        check:--format) words='text json' ;;
        resolve:--format) words='text json' ;;
        schema:--format) words='markdown json-schema' ;;
        gpus:--format) words='text json' ;;
        verify:--format) words='text json' ;;
        build:--format) words='text json' ;;
        export:--format) words='text json' ;;
        doctor:--format) words='text json' ;;
        init:--framework) words='pytorch tensorflow jax none' ;;
        init:--platforms) words='linux/amd64 linux/arm64' ;;
        init:--ci) words='github gitlab none' ;;
        init:--arm64) words='qemu native' ;;
        ci:--provider) words='github gitlab' ;;
        ci:--arm64) words='qemu native' ;;
        ci:--verify) words='docker rootfs none' ;;
    esac
    if [[ -z $words ]]; then
        case ${COMP_WORDS[1]} in
            generate) [[ $cur == -* ]] && words='-o --output --base-registry --driver --gpu -q --quiet --force -j --jobs --help' ;;
            check) [[ $cur == -* ]] && words='--driver --gpu --format --base-registry --help' ;;
            resolve) [[ $cur == -* ]] && words='--format --base-registry --help' ;;
            schema) [[ $cur == -* ]] && words='--format --help' ;;
            gpus) [[ $cur == -* ]] && words='--format --help' ;;
            verify) [[ $cur == -* ]] && words='--gpus --cdi --no-gpu --runtime-arg --rootfs --driver-libs --json --format --timeout --help' ;;
            build) [[ $cur == -* ]] && words='-o --output --platform --load --push --no-verify --builder --base-registry --format --help' ;;
            export) [[ $cur == -* ]] && words='-o --output --force --format --help' ;;
            doctor) [[ $cur == -* ]] && words='--format --root --help' ;;
            init) [[ $cur == -* ]] && words='--framework --cuda --python --conda --platforms --ci --gpu-runner --arm64 --name --force --help' ;;
            ci) [[ $cur == -* ]] && words='--provider --gpu-runner --arm64 --verify --generated --default-branch --stdout --help' ;;
            completion) [[ $cur == -* ]] && words='--help' ;;
        esac
    fi
    if [[ -n $words ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
}
complete -o filenames -o bashdefault -F _cudagen cudagen
