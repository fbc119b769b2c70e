$ readykit diff --format json diff/old.json diff/new.json
exit 0
--- stdout
{
	"format":	"readykit-diff/1",
	"old":	{
		"path":	"diff/old.json",
		"verdict":	"not-ready",
		"date":	"2024-05-02T09:00:00Z",
		"digest":	"1111111111111111111111111111111111111111111111111111111111111111",
		"sha256":	"d46ce6df02cc21026402899d07868e6412b1cb1134b852085ff26f3555094ce9"
	},
	"new":	{
		"path":	"diff/new.json",
		"verdict":	"not-ready",
		"date":	"2024-06-30T09:00:00Z",
		"digest":	"2222222222222222222222222222222222222222222222222222222222222222"
	},
	"changes":	[{
			"kind":	"still-failing",
			"host":	"h1",
			"requirement":	"R-A",
			"old_status":	"fail",
			"new_status":	"fail",
			"detail":	"4 GiB is less than 8 GiB"
		}, {
			"kind":	"new-failure",
			"host":	"h1",
			"requirement":	"R-B",
			"old_status":	"pass",
			"new_status":	"fail",
			"detail":	"the service is stopped"
		}, {
			"kind":	"fixed",
			"host":	"h1",
			"requirement":	"R-C",
			"old_status":	"fail",
			"new_status":	"pass",
			"detail":	"Windows Server 2019"
		}, {
			"kind":	"fixed",
			"host":	"h1",
			"requirement":	"R-D",
			"old_status":	"warn",
			"new_status":	"pass",
			"detail":	"40 GiB free"
		}, {
			"kind":	"new-unknown",
			"host":	"h1",
			"requirement":	"R-E",
			"old_status":	"pass",
			"new_status":	"unknown",
			"detail":	"the fact was not collected"
		}, {
			"kind":	"waiver-added",
			"host":	"h1",
			"requirement":	"R-F",
			"old_status":	"fail",
			"new_status":	"waived",
			"detail":	"waiver approved by Jane Doe (valid until 2024-09-30)"
		}, {
			"kind":	"waiver-expired",
			"host":	"h1",
			"requirement":	"R-G",
			"old_status":	"waived",
			"new_status":	"fail",
			"detail":	"waiver approved by Jane Doe has expired (valid until 2024-05-31)"
		}, {
			"kind":	"other",
			"host":	"h1",
			"requirement":	"R-H",
			"old_status":	"manual",
			"new_status":	"attested",
			"detail":	"attested by Max on 2024-06-01"
		}, {
			"kind":	"waiver-expired",
			"host":	"h2",
			"requirement":	"R-J",
			"old_status":	"waived",
			"new_status":	"warn",
			"detail":	"waiver approved by John Roe is no longer given (valid until 2024-12-31)"
		}, {
			"kind":	"still-failing",
			"host":	"h2",
			"requirement":	"R-NET",
			"flow":	"F0001",
			"old_status":	"fail",
			"new_status":	"fail",
			"detail":	"the probe from h2 to h1 on tcp/443 was filtered"
		}, {
			"kind":	"new-failure",
			"host":	"h2",
			"requirement":	"R-NET",
			"flow":	"F0002",
			"old_status":	null,
			"new_status":	"fail",
			"detail":	"the probe from h2 to h1 on tcp/445 was closed"
		}, {
			"kind":	"other",
			"host":	"h2",
			"requirement":	"R-NET",
			"flow":	"F0003",
			"old_status":	"fail",
			"new_status":	null,
			"detail":	"no longer assessed"
		}, {
			"kind":	"host-removed",
			"host":	"h3",
			"requirement":	null,
			"old_status":	null,
			"new_status":	null,
			"detail":	"verdict not-ready"
		}, {
			"kind":	"host-added",
			"host":	"h4",
			"requirement":	null,
			"old_status":	null,
			"new_status":	null,
			"detail":	"verdict not-ready"
		}, {
			"kind":	"new-failure",
			"host":	"h4",
			"requirement":	"R-A",
			"old_status":	null,
			"new_status":	"fail",
			"detail":	"6 GiB is less than 8 GiB"
		}],
	"counts":	{
		"new-failure":	3,
		"fixed":	2,
		"still-failing":	2,
		"new-unknown":	1,
		"host-added":	1,
		"host-removed":	1,
		"waiver-added":	1,
		"waiver-expired":	2,
		"other":	2
	},
	"new_failures":	4
}
--- stderr
