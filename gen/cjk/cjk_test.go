package cjk

import "testing"

func TestJoin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"发放的积分 和参与人数", "发放的积分和参与人数"},
		{"其他垃圾减少 超过20%", "其他垃圾减少超过20%"},
		{"减少了 20% 以上", "减少了 20% 以上"},
		{"COD 化学需氧量", "COD 化学需氧量"},
		{"一句话。 下一句", "一句话。下一句"},
		{"no spaces", "no spaces"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Join(tt.in); got != tt.want {
			t.Errorf("Join(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
