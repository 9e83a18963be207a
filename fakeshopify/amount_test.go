package fakeshopify

import "testing"

func TestAmount(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"11884.9", "11884.9", false},
		{"120.00", "120.0", false},
		{"0", "0.0", false},
		{"", "0.0", false},
		{"49.95", "49.95", false},
		{"1.125", "1.125", false},
		{"12000", "12000.0", false},
		{"-30.5", "-30.5", false},
		{"12,50", "", true},
		{"1.23456", "", true},
		{"abc", "", true},
		{".5", "", true},
		{"1.-5", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := parseAmount(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && a.String() != tt.want {
				t.Errorf("%q formats as %q, want %q", tt.in, a.String(), tt.want)
			}
		})
	}
}
