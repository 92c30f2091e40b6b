# dict_of TARGET: the dictionary file for a target (sourced by fuzz.sh and long.sh).
dict_of() {
	case $1 in
	compile) echo tests/fuzz/policy.dict ;;
	include) cat tests/fuzz/policy.dict tests/fuzz/include.dict >"$FUZZ_WORK/include.dict"
		 echo "$FUZZ_WORK/include.dict" ;;
	packet|testfile) echo tests/fuzz/packet.dict ;;
	docker_state) echo tests/fuzz/docker.dict ;;
	delta) echo tests/fuzz/delta.dict ;;
	esac
}
