package account_test

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
)

// TestLoadKeepsNoneOfTheInput pins what Load's doc promises: the account
// holds no reference to the dump's bytes (Load reads them in place, without
// a copy, so a string it kept without its own copy would change with the
// caller's buffer and keep all of it alive). Every string and byte slice
// reachable from the account, exported or not, must lie outside data.
func TestLoadKeepsNoneOfTheInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"plain", accounttest.CLIDump(60)},
		{"copies", accounttest.CLIDumpWith(60, accounttest.Options{Copies: true, Admins: true})},
		{"pages as a list", []byte(`[` + string(accounttest.CLIDump(30)) + `]`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acct, err := account.Load("dump.json", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			lo := uintptr(unsafe.Pointer(unsafe.SliceData(tc.data)))
			hi := lo + uintptr(len(tc.data))
			in := func(p unsafe.Pointer, n int) bool {
				a := uintptr(p)
				return n > 0 && a < hi && a+uintptr(n) > lo
			}
			seen := map[uintptr]bool{}
			strs := 0
			var walk func(v reflect.Value, path string)
			walk = func(v reflect.Value, path string) {
				switch v.Kind() {
				case reflect.String:
					s := v.String()
					strs++
					if in(unsafe.Pointer(unsafe.StringData(s)), len(s)) {
						t.Errorf("%s = %q lies in the dump's bytes", path, s)
					}
				case reflect.Slice:
					if v.Type().Elem().Kind() == reflect.Uint8 && v.Len() > 0 && in(v.UnsafePointer(), v.Len()) {
						t.Errorf("%s ([]byte, %d bytes) lies in the dump's bytes", path, v.Len())
					}
					for i := 0; i < v.Len(); i++ {
						walk(v.Index(i), path+"[]")
					}
				case reflect.Array:
					for i := 0; i < v.Len(); i++ {
						walk(v.Index(i), path+"[]")
					}
				case reflect.Pointer:
					if v.IsNil() || seen[v.Pointer()] {
						return
					}
					seen[v.Pointer()] = true
					walk(v.Elem(), path)
				case reflect.Interface:
					if !v.IsNil() {
						walk(v.Elem(), path)
					}
				case reflect.Struct:
					for i := 0; i < v.NumField(); i++ {
						walk(v.Field(i), path+"."+v.Type().Field(i).Name)
					}
				case reflect.Map:
					it := v.MapRange()
					for it.Next() {
						walk(it.Key(), path+"{key}")
						walk(it.Value(), path+"{}")
					}
				}
			}
			walk(reflect.ValueOf(acct), "account")
			if strs < 1000 {
				t.Fatalf("walked only %d strings: the walk does not reach the account's contents", strs)
			}
		})
	}
}
