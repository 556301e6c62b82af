// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The US address-line parser and Pub 28 standardiser (av/usaddr.c, av/pub28.c): a table of
 * real-world address lines of every kind with their Lob components, every Pub 28 table row
 * and every row of the Pub 28 CSVs (data/pub28) through the lookups and the parser,
 * one-line address splitting, errors, cities, and 10,000 hostile inputs.
 */
#include "av/usaddr.h"
#include "test.h"
#include <stdint.h>
#include <stdlib.h>

#define STREET US_ADDR_STREET
#define PO_BOX US_ADDR_PO_BOX
#define RURAL_ROUTE US_ADDR_RURAL_ROUTE
#define HIGHWAY_CONTRACT US_ADDR_HIGHWAY_CONTRACT
#define MILITARY US_ADDR_MILITARY
#define GENERAL_DELIVERY US_ADDR_GENERAL_DELIVERY
#define UNKNOWN US_ADDR_UNKNOWN

/* ------------------------------------------------------------------------ */
/* address lines                                                            */
/* ------------------------------------------------------------------------ */

struct line_case {
	const char *line1, *line2;
	enum us_addr_kind kind;
	const char *primary_line, *number, *predir, *name, *suffix, *postdir, *desig, *unit;
};

static const struct line_case lines[] = {
	{ "210 King St", NULL, STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "210 King Street", NULL, STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "210 king st.", NULL, STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "  210   King    St  ", NULL, STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "210 King St Suite 6100", NULL, STREET,
	  "210 KING ST STE 6100", "210", "", "KING", "ST", "", "STE", "6100" },
	{ "210 King St Ste 6100", NULL, STREET,
	  "210 KING ST STE 6100", "210", "", "KING", "ST", "", "STE", "6100" },
	{ "210 King St, Suite 6100", NULL, STREET,
	  "210 KING ST STE 6100", "210", "", "KING", "ST", "", "STE", "6100" },
	{ "210 King St", "Suite 6100", STREET,
	  "210 KING ST STE 6100", "210", "", "KING", "ST", "", "STE", "6100" },
	{ "210 King St", "STE 6100", STREET,
	  "210 KING ST STE 6100", "210", "", "KING", "ST", "", "STE", "6100" },
	{ "210 King St, #6100", NULL, STREET,
	  "210 KING ST # 6100", "210", "", "KING", "ST", "", "#", "6100" },
	{ "210 King St #6100", NULL, STREET,
	  "210 KING ST # 6100", "210", "", "KING", "ST", "", "#", "6100" },
	{ "210 King St # 6100", NULL, STREET,
	  "210 KING ST # 6100", "210", "", "KING", "ST", "", "#", "6100" },
	{ "210 King St", "#6100", STREET,
	  "210 KING ST # 6100", "210", "", "KING", "ST", "", "#", "6100" },
	{ "210 King St 6100", NULL, STREET,
	  "210 KING ST # 6100", "210", "", "KING", "ST", "", "#", "6100" },
	{ "Suite 6100", "210 King St", STREET,
	  "210 KING ST STE 6100", "210", "", "KING", "ST", "", "STE", "6100" },
	{ "185 Berry St Ste 6100", NULL, STREET,
	  "185 BERRY ST STE 6100", "185", "", "BERRY", "ST", "", "STE", "6100" },
	{ "660 King St Unit 305", NULL, STREET,
	  "660 KING ST UNIT 305", "660", "", "KING", "ST", "", "UNIT", "305" },
	{ "1709 Broderick St", NULL, STREET,
	  "1709 BRODERICK ST", "1709", "", "BRODERICK", "ST", "", "", "" },
	{ "1709 Broderick St Apt 505", NULL, STREET,
	  "1709 BRODERICK ST APT 505", "1709", "", "BRODERICK", "ST", "", "APT", "505" },
	{ "1 Telegraph Hill Blvd", NULL, STREET,
	  "1 TELEGRAPH HILL BLVD", "1", "", "TELEGRAPH HILL", "BLVD", "", "", "" },
	{ "1600 Pennsylvania Ave NW", NULL, STREET,
	  "1600 PENNSYLVANIA AVE NW", "1600", "", "PENNSYLVANIA", "AVE", "NW", "", "" },
	{ "1600 Pennsylvania Avenue Northwest", NULL, STREET,
	  "1600 PENNSYLVANIA AVE NW", "1600", "", "PENNSYLVANIA", "AVE", "NW", "", "" },
	{ "1600 Pennsylvania Ave. N.W.", NULL, STREET,
	  "1600 PENNSYLVANIA AVE NW", "1600", "", "PENNSYLVANIA", "AVE", "NW", "", "" },
	{ "350 5th Ave", NULL, STREET,
	  "350 5TH AVE", "350", "", "5TH", "AVE", "", "", "" },
	{ "350 Fifth Avenue", NULL, STREET,
	  "350 FIFTH AVE", "350", "", "FIFTH", "AVE", "", "", "" },
	{ "350 Fifth Ave Fl 34", NULL, STREET,
	  "350 FIFTH AVE FL 34", "350", "", "FIFTH", "AVE", "", "FL", "34" },
	{ "1 Infinite Loop", NULL, STREET,
	  "1 INFINITE LOOP", "1", "", "INFINITE", "LOOP", "", "", "" },
	{ "1 Apple Park Way", NULL, STREET,
	  "1 APPLE PARK WAY", "1", "", "APPLE PARK", "WAY", "", "", "" },
	{ "1600 Amphitheatre Parkway", NULL, STREET,
	  "1600 AMPHITHEATRE PKWY", "1600", "", "AMPHITHEATRE", "PKWY", "", "", "" },
	{ "1600 Amphitheatre Pkwy", NULL, STREET,
	  "1600 AMPHITHEATRE PKWY", "1600", "", "AMPHITHEATRE", "PKWY", "", "", "" },
	{ "1 Microsoft Way", NULL, STREET,
	  "1 MICROSOFT WAY", "1", "", "MICROSOFT", "WAY", "", "", "" },
	{ "1 Hacker Way", NULL, STREET,
	  "1 HACKER WAY", "1", "", "HACKER", "WAY", "", "", "" },
	{ "410 Terry Ave N", NULL, STREET,
	  "410 TERRY AVE N", "410", "", "TERRY", "AVE", "N", "", "" },
	{ "410 Terry Avenue North", NULL, STREET,
	  "410 TERRY AVE N", "410", "", "TERRY", "AVE", "N", "", "" },
	{ "2211 N 1st St", NULL, STREET,
	  "2211 N 1ST ST", "2211", "N", "1ST", "ST", "", "", "" },
	{ "2211 North First Street", NULL, STREET,
	  "2211 N FIRST ST", "2211", "N", "FIRST", "ST", "", "", "" },
	{ "233 S Wacker Dr", NULL, STREET,
	  "233 S WACKER DR", "233", "S", "WACKER", "DR", "", "", "" },
	{ "233 South Wacker Drive", NULL, STREET,
	  "233 S WACKER DR", "233", "S", "WACKER", "DR", "", "", "" },
	{ "11 Wall St", NULL, STREET,
	  "11 WALL ST", "11", "", "WALL", "ST", "", "", "" },
	{ "30 Rockefeller Plaza", NULL, STREET,
	  "30 ROCKEFELLER PLZ", "30", "", "ROCKEFELLER", "PLZ", "", "", "" },
	{ "30 Rockefeller Plz", NULL, STREET,
	  "30 ROCKEFELLER PLZ", "30", "", "ROCKEFELLER", "PLZ", "", "", "" },
	{ "4 Pennsylvania Plaza", NULL, STREET,
	  "4 PENNSYLVANIA PLZ", "4", "", "PENNSYLVANIA", "PLZ", "", "", "" },
	{ "405 Lexington Ave", NULL, STREET,
	  "405 LEXINGTON AVE", "405", "", "LEXINGTON", "AVE", "", "", "" },
	{ "405 Lexington Avenue", NULL, STREET,
	  "405 LEXINGTON AVE", "405", "", "LEXINGTON", "AVE", "", "", "" },
	{ "100 Universal City Plaza", NULL, STREET,
	  "100 UNIVERSAL CITY PLZ", "100", "", "UNIVERSAL CITY", "PLZ", "", "", "" },
	{ "1355 Market St Ste 900", NULL, STREET,
	  "1355 MARKET ST STE 900", "1355", "", "MARKET", "ST", "", "STE", "900" },
	{ "600 Montgomery St", NULL, STREET,
	  "600 MONTGOMERY ST", "600", "", "MONTGOMERY", "ST", "", "", "" },
	{ "101 California St Fl 43", NULL, STREET,
	  "101 CALIFORNIA ST FL 43", "101", "", "CALIFORNIA", "ST", "", "FL", "43" },
	{ "555 California Street, 45th Floor", NULL, STREET,
	  "555 CALIFORNIA ST FL 45", "555", "", "CALIFORNIA", "ST", "", "FL", "45" },
	{ "1 Market St Ste 300", NULL, STREET,
	  "1 MARKET ST STE 300", "1", "", "MARKET", "ST", "", "STE", "300" },
	{ "2 Embarcadero Ctr", NULL, STREET,
	  "2 EMBARCADERO CTR", "2", "", "EMBARCADERO", "CTR", "", "", "" },
	{ "4 Embarcadero Center Ste 1400", NULL, STREET,
	  "4 EMBARCADERO CTR STE 1400", "4", "", "EMBARCADERO", "CTR", "", "STE", "1400" },
	{ "200 Park Ave", NULL, STREET,
	  "200 PARK AVE", "200", "", "PARK", "AVE", "", "", "" },
	{ "100 Park Avenue", NULL, STREET,
	  "100 PARK AVE", "100", "", "PARK", "AVE", "", "", "" },
	{ "100 Park Ave S", NULL, STREET,
	  "100 PARK AVE S", "100", "", "PARK", "AVE", "S", "", "" },
	{ "1 Park Pl", NULL, STREET,
	  "1 PARK PL", "1", "", "PARK", "PL", "", "", "" },
	{ "123 Park", NULL, STREET,
	  "123 PARK", "123", "", "PARK", "", "", "", "" },
	{ "100 Avenue of the Americas", NULL, STREET,
	  "100 AVENUE OF THE AMERICAS", "100", "", "AVENUE OF THE AMERICAS", "", "", "", "" },
	{ "1211 Avenue of the Americas Fl 6", NULL, STREET,
	  "1211 AVENUE OF THE AMERICAS FL 6", "1211", "", "AVENUE OF THE AMERICAS", "", "",
	  "FL", "6" },
	{ "123 Avenue N", NULL, STREET,
	  "123 AVENUE N", "123", "", "AVENUE N", "", "", "", "" },
	{ "123 Avenue J", NULL, STREET,
	  "123 AVENUE J", "123", "", "AVENUE J", "", "", "", "" },
	{ "4415 W Avenue L", NULL, STREET,
	  "4415 W AVENUE L", "4415", "W", "AVENUE L", "", "", "", "" },
	{ "123 Avenue B Apt 4", NULL, STREET,
	  "123 AVENUE B APT 4", "123", "", "AVENUE B", "", "", "APT", "4" },
	{ "123 N Avenue 50", NULL, STREET,
	  "123 N AVENUE 50", "123", "N", "AVENUE 50", "", "", "", "" },
	{ "123 Avenue 50", NULL, STREET,
	  "123 AVENUE 50", "123", "", "AVENUE 50", "", "", "", "" },
	{ "123 Street Rd", NULL, STREET,
	  "123 STREET RD", "123", "", "STREET", "RD", "", "", "" },
	{ "123 North St", NULL, STREET,
	  "123 NORTH ST", "123", "", "NORTH", "ST", "", "", "" },
	{ "123 North Street", NULL, STREET,
	  "123 NORTH ST", "123", "", "NORTH", "ST", "", "", "" },
	{ "123 South Ave", NULL, STREET,
	  "123 SOUTH AVE", "123", "", "SOUTH", "AVE", "", "", "" },
	{ "123 West Blvd", NULL, STREET,
	  "123 WEST BLVD", "123", "", "WEST", "BLVD", "", "", "" },
	{ "123 East Dr", NULL, STREET,
	  "123 EAST DR", "123", "", "EAST", "DR", "", "", "" },
	{ "123 N St", NULL, STREET,
	  "123 N ST", "123", "", "N", "ST", "", "", "" },
	{ "123 N St NW", NULL, STREET,
	  "123 N ST NW", "123", "", "N", "ST", "NW", "", "" },
	{ "1000 K St NW", NULL, STREET,
	  "1000 K ST NW", "1000", "", "K", "ST", "NW", "", "" },
	{ "1000 K Street Northwest Suite 200", NULL, STREET,
	  "1000 K ST NW STE 200", "1000", "", "K", "ST", "NW", "STE", "200" },
	{ "123 E St SE", NULL, STREET,
	  "123 E ST SE", "123", "", "E", "ST", "SE", "", "" },
	{ "123 E North St", NULL, STREET,
	  "123 E NORTH ST", "123", "E", "NORTH", "ST", "", "", "" },
	{ "123 West North Ave", NULL, STREET,
	  "123 W NORTH AVE", "123", "W", "NORTH", "AVE", "", "", "" },
	{ "123 North East St", NULL, STREET,
	  "123 N EAST ST", "123", "N", "EAST", "ST", "", "", "" },
	{ "123 Northeast 5th St", NULL, STREET,
	  "123 NE 5TH ST", "123", "NE", "5TH", "ST", "", "", "" },
	{ "123 North East 5th St", NULL, STREET,
	  "123 NE 5TH ST", "123", "NE", "5TH", "ST", "", "", "" },
	{ "123 NE 5th St", NULL, STREET,
	  "123 NE 5TH ST", "123", "NE", "5TH", "ST", "", "", "" },
	{ "123 5th St NE", NULL, STREET,
	  "123 5TH ST NE", "123", "", "5TH", "ST", "NE", "", "" },
	{ "123 5th St North East", NULL, STREET,
	  "123 5TH ST NE", "123", "", "5TH", "ST", "NE", "", "" },
	{ "123 East West Hwy", NULL, STREET,
	  "123 EAST WEST HWY", "123", "", "EAST WEST", "HWY", "", "", "" },
	{ "4550 Montgomery Ave", NULL, STREET,
	  "4550 MONTGOMERY AVE", "4550", "", "MONTGOMERY", "AVE", "", "", "" },
	{ "123 N Main St", NULL, STREET,
	  "123 N MAIN ST", "123", "N", "MAIN", "ST", "", "", "" },
	{ "123 North Main Street", NULL, STREET,
	  "123 N MAIN ST", "123", "N", "MAIN", "ST", "", "", "" },
	{ "123 Main St N", NULL, STREET,
	  "123 MAIN ST N", "123", "", "MAIN", "ST", "N", "", "" },
	{ "123 Main St North", NULL, STREET,
	  "123 MAIN ST N", "123", "", "MAIN", "ST", "N", "", "" },
	{ "123 S Main St W", NULL, STREET,
	  "123 S MAIN ST W", "123", "S", "MAIN", "ST", "W", "", "" },
	{ "123 Main South", NULL, STREET,
	  "123 MAIN S", "123", "", "MAIN", "", "S", "", "" },
	{ "123 N Main", NULL, STREET,
	  "123 N MAIN", "123", "N", "MAIN", "", "", "", "" },
	{ "123 Main", NULL, STREET,
	  "123 MAIN", "123", "", "MAIN", "", "", "", "" },
	{ "1234 S 500 E", NULL, STREET,
	  "1234 S 500 E", "1234", "S", "500", "", "E", "", "" },
	{ "1234 South 500 East", NULL, STREET,
	  "1234 S 500 E", "1234", "S", "500", "", "E", "", "" },
	{ "1234 South 500 East Apt 5", NULL, STREET,
	  "1234 S 500 E APT 5", "1234", "S", "500", "", "E", "APT", "5" },
	{ "50 W 100 N", NULL, STREET,
	  "50 W 100 N", "50", "W", "100", "", "N", "", "" },
	{ "50 W 100 N 12", NULL, STREET,
	  "50 W 100 N # 12", "50", "W", "100", "", "N", "#", "12" },
	{ "123 1/2 Main St", NULL, STREET,
	  "123 1/2 MAIN ST", "123 1/2", "", "MAIN", "ST", "", "", "" },
	{ "123 1/2 N Main St", NULL, STREET,
	  "123 1/2 N MAIN ST", "123 1/2", "N", "MAIN", "ST", "", "", "" },
	{ "12 1/4 Elm St", NULL, STREET,
	  "12 1/4 ELM ST", "12 1/4", "", "ELM", "ST", "", "", "" },
	{ "12-34 Jackson Ave", NULL, STREET,
	  "12-34 JACKSON AVE", "12-34", "", "JACKSON", "AVE", "", "", "" },
	{ "37-20 82nd St", NULL, STREET,
	  "37-20 82ND ST", "37-20", "", "82ND", "ST", "", "", "" },
	{ "104-12 Queens Blvd Apt 3F", NULL, STREET,
	  "104-12 QUEENS BLVD APT 3F", "104-12", "", "QUEENS", "BLVD", "", "APT", "3F" },
	{ "123 - 125 Main St", NULL, STREET,
	  "123-125 MAIN ST", "123-125", "", "MAIN", "ST", "", "", "" },
	{ "123A Main St", NULL, STREET,
	  "123A MAIN ST", "123A", "", "MAIN", "ST", "", "", "" },
	{ "123-A Main St", NULL, STREET,
	  "123-A MAIN ST", "123-A", "", "MAIN", "ST", "", "", "" },
	{ "N6W23001 Bluemound Rd", NULL, STREET,
	  "N6W23001 BLUEMOUND RD", "N6W23001", "", "BLUEMOUND", "RD", "", "", "" },
	{ "W180N8085 Town Hall Rd", NULL, STREET,
	  "W180N8085 TOWN HALL RD", "W180N8085", "", "TOWN HALL", "RD", "", "", "" },
	{ "N1234 County Road J", NULL, STREET,
	  "N1234 COUNTY ROAD J", "N1234", "", "COUNTY ROAD J", "", "", "", "" },
	{ "W123 Main St", NULL, STREET,
	  "W123 MAIN ST", "W123", "", "MAIN", "ST", "", "", "" },
	{ "123 1st St", NULL, STREET,
	  "123 1ST ST", "123", "", "1ST", "ST", "", "", "" },
	{ "123 2nd Ave", NULL, STREET,
	  "123 2ND AVE", "123", "", "2ND", "AVE", "", "", "" },
	{ "123 3rd Street", NULL, STREET,
	  "123 3RD ST", "123", "", "3RD", "ST", "", "", "" },
	{ "123 4th Pl", NULL, STREET,
	  "123 4TH PL", "123", "", "4TH", "PL", "", "", "" },
	{ "123 21st St", NULL, STREET,
	  "123 21ST ST", "123", "", "21ST", "ST", "", "", "" },
	{ "123 W 23rd St", NULL, STREET,
	  "123 W 23RD ST", "123", "W", "23RD", "ST", "", "", "" },
	{ "123 W. 23rd St., Apt. 4", NULL, STREET,
	  "123 W 23RD ST APT 4", "123", "W", "23RD", "ST", "", "APT", "4" },
	{ "123 East 42nd Street", NULL, STREET,
	  "123 E 42ND ST", "123", "E", "42ND", "ST", "", "", "" },
	{ "123 First St", NULL, STREET,
	  "123 FIRST ST", "123", "", "FIRST", "ST", "", "", "" },
	{ "123 Second Avenue", NULL, STREET,
	  "123 SECOND AVE", "123", "", "SECOND", "AVE", "", "", "" },
	{ "123 Third St NW", NULL, STREET,
	  "123 THIRD ST NW", "123", "", "THIRD", "ST", "NW", "", "" },
	{ "123 State Highway 12", NULL, STREET,
	  "123 STATE HIGHWAY 12", "123", "", "STATE HIGHWAY 12", "", "", "", "" },
	{ "123 State Hwy 12", NULL, STREET,
	  "123 STATE HIGHWAY 12", "123", "", "STATE HIGHWAY 12", "", "", "", "" },
	{ "123 St Hwy 12", NULL, STREET,
	  "123 STATE HIGHWAY 12", "123", "", "STATE HIGHWAY 12", "", "", "", "" },
	{ "123 SH 12", NULL, STREET,
	  "123 STATE HIGHWAY 12", "123", "", "STATE HIGHWAY 12", "", "", "", "" },
	{ "123 US Highway 101", NULL, STREET,
	  "123 US HIGHWAY 101", "123", "", "US HIGHWAY 101", "", "", "", "" },
	{ "123 US Hwy 101", NULL, STREET,
	  "123 US HIGHWAY 101", "123", "", "US HIGHWAY 101", "", "", "", "" },
	{ "123 U.S. Hwy 101", NULL, STREET,
	  "123 US HIGHWAY 101", "123", "", "US HIGHWAY 101", "", "", "", "" },
	{ "123 US Hwy 101 N", NULL, STREET,
	  "123 US HIGHWAY 101 N", "123", "", "US HIGHWAY 101", "", "N", "", "" },
	{ "123 US 1", NULL, STREET,
	  "123 US HIGHWAY 1", "123", "", "US HIGHWAY 1", "", "", "", "" },
	{ "123 US-1", NULL, STREET,
	  "123 US HIGHWAY 1", "123", "", "US HIGHWAY 1", "", "", "", "" },
	{ "123 Old US Hwy 1", NULL, STREET,
	  "123 OLD US HIGHWAY 1", "123", "", "OLD US HIGHWAY 1", "", "", "", "" },
	{ "123 I-95", NULL, STREET,
	  "123 INTERSTATE 95", "123", "", "INTERSTATE 95", "", "", "", "" },
	{ "123 I 95", NULL, STREET,
	  "123 INTERSTATE 95", "123", "", "INTERSTATE 95", "", "", "", "" },
	{ "123 Interstate 95", NULL, STREET,
	  "123 INTERSTATE 95", "123", "", "INTERSTATE 95", "", "", "", "" },
	{ "123 IH 35", NULL, STREET,
	  "123 INTERSTATE 35", "123", "", "INTERSTATE 35", "", "", "", "" },
	{ "123 N I-35", NULL, STREET,
	  "123 N INTERSTATE 35", "123", "N", "INTERSTATE 35", "", "", "", "" },
	{ "123 County Road 5", NULL, STREET,
	  "123 COUNTY ROAD 5", "123", "", "COUNTY ROAD 5", "", "", "", "" },
	{ "123 County Rd 5", NULL, STREET,
	  "123 COUNTY ROAD 5", "123", "", "COUNTY ROAD 5", "", "", "", "" },
	{ "123 Co Rd 5", NULL, STREET,
	  "123 COUNTY ROAD 5", "123", "", "COUNTY ROAD 5", "", "", "", "" },
	{ "123 CR 5", NULL, STREET,
	  "123 COUNTY ROAD 5", "123", "", "COUNTY ROAD 5", "", "", "", "" },
	{ "123 CR-5", NULL, STREET,
	  "123 COUNTY ROAD 5", "123", "", "COUNTY ROAD 5", "", "", "", "" },
	{ "123 County Road 5 E", NULL, STREET,
	  "123 COUNTY ROAD 5 E", "123", "", "COUNTY ROAD 5", "", "E", "", "" },
	{ "123 County Hwy K", NULL, STREET,
	  "123 COUNTY HIGHWAY K", "123", "", "COUNTY HIGHWAY K", "", "", "", "" },
	{ "123 SR 9", NULL, STREET,
	  "123 STATE ROUTE 9", "123", "", "STATE ROUTE 9", "", "", "", "" },
	{ "123 St Rt 9", NULL, STREET,
	  "123 STATE ROUTE 9", "123", "", "STATE ROUTE 9", "", "", "", "" },
	{ "123 State Route 9", NULL, STREET,
	  "123 STATE ROUTE 9", "123", "", "STATE ROUTE 9", "", "", "", "" },
	{ "123 State Rd 7", NULL, STREET,
	  "123 STATE ROAD 7", "123", "", "STATE ROAD 7", "", "", "", "" },
	{ "123 Hwy 1", NULL, STREET,
	  "123 HIGHWAY 1", "123", "", "HIGHWAY 1", "", "", "", "" },
	{ "123 Highway 1", NULL, STREET,
	  "123 HIGHWAY 1", "123", "", "HIGHWAY 1", "", "", "", "" },
	{ "123 N Hwy 1", NULL, STREET,
	  "123 N HIGHWAY 1", "123", "N", "HIGHWAY 1", "", "", "", "" },
	{ "123 Hwy 1 S", NULL, STREET,
	  "123 HIGHWAY 1 S", "123", "", "HIGHWAY 1", "", "S", "", "" },
	{ "123 Highway 12 Bypass", NULL, STREET,
	  "123 HIGHWAY 12 BYP", "123", "", "HIGHWAY 12", "BYP", "", "", "" },
	{ "123 Route 66", NULL, STREET,
	  "123 ROUTE 66", "123", "", "ROUTE 66", "", "", "", "" },
	{ "123 Rt 9W", NULL, STREET,
	  "123 ROUTE 9W", "123", "", "ROUTE 9W", "", "", "", "" },
	{ "123 Rte 9", NULL, STREET,
	  "123 ROUTE 9", "123", "", "ROUTE 9", "", "", "", "" },
	{ "123 FM 1960", NULL, STREET,
	  "123 FM 1960", "123", "", "FM 1960", "", "", "", "" },
	{ "123 Ranch Rd 12", NULL, STREET,
	  "123 RANCH ROAD 12", "123", "", "RANCH ROAD 12", "", "", "", "" },
	{ "123 Pacific Coast Hwy", NULL, STREET,
	  "123 PACIFIC COAST HWY", "123", "", "PACIFIC COAST", "HWY", "", "", "" },
	{ "123 Old Hwy 61", NULL, STREET,
	  "123 OLD HIGHWAY 61", "123", "", "OLD HIGHWAY 61", "", "", "", "" },
	{ "123 Main St Apt 4B", NULL, STREET,
	  "123 MAIN ST APT 4B", "123", "", "MAIN", "ST", "", "APT", "4B" },
	{ "123 Main St Apartment 4B", NULL, STREET,
	  "123 MAIN ST APT 4B", "123", "", "MAIN", "ST", "", "APT", "4B" },
	{ "123 Main St Apt. 4", NULL, STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St Apt #4", NULL, STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St Apt. #4", NULL, STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St Apt No 4", NULL, STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St Apt 4-B", NULL, STREET,
	  "123 MAIN ST APT 4-B", "123", "", "MAIN", "ST", "", "APT", "4-B" },
	{ "123 Main St Apt B", NULL, STREET,
	  "123 MAIN ST APT B", "123", "", "MAIN", "ST", "", "APT", "B" },
	{ "123 Main St APT4", NULL, STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St Ste100", NULL, STREET,
	  "123 MAIN ST STE 100", "123", "", "MAIN", "ST", "", "STE", "100" },
	{ "123 Main St", "Apt 4", STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St", "Apartment 12C", STREET,
	  "123 MAIN ST APT 12C", "123", "", "MAIN", "ST", "", "APT", "12C" },
	{ "123 Main St", "#12", STREET,
	  "123 MAIN ST # 12", "123", "", "MAIN", "ST", "", "#", "12" },
	{ "123 Main St", "# 12", STREET,
	  "123 MAIN ST # 12", "123", "", "MAIN", "ST", "", "#", "12" },
	{ "123 Main St", "12", STREET,
	  "123 MAIN ST # 12", "123", "", "MAIN", "ST", "", "#", "12" },
	{ "123 Main St", "4B", STREET,
	  "123 MAIN ST # 4B", "123", "", "MAIN", "ST", "", "#", "4B" },
	{ "123 Main St #12", NULL, STREET,
	  "123 MAIN ST # 12", "123", "", "MAIN", "ST", "", "#", "12" },
	{ "123 Main St Bsmt", NULL, STREET,
	  "123 MAIN ST BSMT", "123", "", "MAIN", "ST", "", "BSMT", "" },
	{ "123 Main St Basement", NULL, STREET,
	  "123 MAIN ST BSMT", "123", "", "MAIN", "ST", "", "BSMT", "" },
	{ "123 Main St Frnt", NULL, STREET,
	  "123 MAIN ST FRNT", "123", "", "MAIN", "ST", "", "FRNT", "" },
	{ "123 Main St Front", NULL, STREET,
	  "123 MAIN ST FRNT", "123", "", "MAIN", "ST", "", "FRNT", "" },
	{ "123 Main St PH", NULL, STREET,
	  "123 MAIN ST PH", "123", "", "MAIN", "ST", "", "PH", "" },
	{ "123 Main St Penthouse", NULL, STREET,
	  "123 MAIN ST PH", "123", "", "MAIN", "ST", "", "PH", "" },
	{ "123 Main St PH 2", NULL, STREET,
	  "123 MAIN ST PH 2", "123", "", "MAIN", "ST", "", "PH", "2" },
	{ "123 Main St Rear", NULL, STREET,
	  "123 MAIN ST REAR", "123", "", "MAIN", "ST", "", "REAR", "" },
	{ "123 Main St Lowr", NULL, STREET,
	  "123 MAIN ST LOWR", "123", "", "MAIN", "ST", "", "LOWR", "" },
	{ "123 Main St Lower", NULL, STREET,
	  "123 MAIN ST LOWR", "123", "", "MAIN", "ST", "", "LOWR", "" },
	{ "123 Main St Uppr", NULL, STREET,
	  "123 MAIN ST UPPR", "123", "", "MAIN", "ST", "", "UPPR", "" },
	{ "123 Main St Upper", NULL, STREET,
	  "123 MAIN ST UPPR", "123", "", "MAIN", "ST", "", "UPPR", "" },
	{ "123 Main St Side", NULL, STREET,
	  "123 MAIN ST SIDE", "123", "", "MAIN", "ST", "", "SIDE", "" },
	{ "123 Main St Ofc", NULL, STREET,
	  "123 MAIN ST OFC", "123", "", "MAIN", "ST", "", "OFC", "" },
	{ "123 Main St Office", NULL, STREET,
	  "123 MAIN ST OFC", "123", "", "MAIN", "ST", "", "OFC", "" },
	{ "123 Main St Lbby", NULL, STREET,
	  "123 MAIN ST LBBY", "123", "", "MAIN", "ST", "", "LBBY", "" },
	{ "123 Main St Lobby", NULL, STREET,
	  "123 MAIN ST LBBY", "123", "", "MAIN", "ST", "", "LBBY", "" },
	{ "123 Main St", "Rear", STREET,
	  "123 MAIN ST REAR", "123", "", "MAIN", "ST", "", "REAR", "" },
	{ "123 Main St Unit 5", NULL, STREET,
	  "123 MAIN ST UNIT 5", "123", "", "MAIN", "ST", "", "UNIT", "5" },
	{ "123 Main St", "Unit 5", STREET,
	  "123 MAIN ST UNIT 5", "123", "", "MAIN", "ST", "", "UNIT", "5" },
	{ "123 Main St Bldg 5", NULL, STREET,
	  "123 MAIN ST BLDG 5", "123", "", "MAIN", "ST", "", "BLDG", "5" },
	{ "123 Main St Building C", NULL, STREET,
	  "123 MAIN ST BLDG C", "123", "", "MAIN", "ST", "", "BLDG", "C" },
	{ "123 Main St Dept 7", NULL, STREET,
	  "123 MAIN ST DEPT 7", "123", "", "MAIN", "ST", "", "DEPT", "7" },
	{ "123 Main St Department 7", NULL, STREET,
	  "123 MAIN ST DEPT 7", "123", "", "MAIN", "ST", "", "DEPT", "7" },
	{ "123 Main St Fl 3", NULL, STREET,
	  "123 MAIN ST FL 3", "123", "", "MAIN", "ST", "", "FL", "3" },
	{ "123 Main St Floor 3", NULL, STREET,
	  "123 MAIN ST FL 3", "123", "", "MAIN", "ST", "", "FL", "3" },
	{ "123 Main St Flr 3", NULL, STREET,
	  "123 MAIN ST FL 3", "123", "", "MAIN", "ST", "", "FL", "3" },
	{ "123 Main St 3rd Floor", NULL, STREET,
	  "123 MAIN ST FL 3", "123", "", "MAIN", "ST", "", "FL", "3" },
	{ "123 Main St", "2nd Fl", STREET,
	  "123 MAIN ST FL 2", "123", "", "MAIN", "ST", "", "FL", "2" },
	{ "123 Main St Hngr 4", NULL, STREET,
	  "123 MAIN ST HNGR 4", "123", "", "MAIN", "ST", "", "HNGR", "4" },
	{ "123 Main St Hangar 4", NULL, STREET,
	  "123 MAIN ST HNGR 4", "123", "", "MAIN", "ST", "", "HNGR", "4" },
	{ "123 Main St Key 12", NULL, STREET,
	  "123 MAIN ST KEY 12", "123", "", "MAIN", "ST", "", "KEY", "12" },
	{ "123 Main St Lot 5", NULL, STREET,
	  "123 MAIN ST LOT 5", "123", "", "MAIN", "ST", "", "LOT", "5" },
	{ "123 Main St Pier 3", NULL, STREET,
	  "123 MAIN ST PIER 3", "123", "", "MAIN", "ST", "", "PIER", "3" },
	{ "123 Main St Rm 101", NULL, STREET,
	  "123 MAIN ST RM 101", "123", "", "MAIN", "ST", "", "RM", "101" },
	{ "123 Main St Room 101", NULL, STREET,
	  "123 MAIN ST RM 101", "123", "", "MAIN", "ST", "", "RM", "101" },
	{ "123 Main St Slip 9", NULL, STREET,
	  "123 MAIN ST SLIP 9", "123", "", "MAIN", "ST", "", "SLIP", "9" },
	{ "123 Main St Spc 12", NULL, STREET,
	  "123 MAIN ST SPC 12", "123", "", "MAIN", "ST", "", "SPC", "12" },
	{ "123 Main St Space 12", NULL, STREET,
	  "123 MAIN ST SPC 12", "123", "", "MAIN", "ST", "", "SPC", "12" },
	{ "123 Main St Stop 3", NULL, STREET,
	  "123 MAIN ST STOP 3", "123", "", "MAIN", "ST", "", "STOP", "3" },
	{ "123 Main St Trlr 8", NULL, STREET,
	  "123 MAIN ST TRLR 8", "123", "", "MAIN", "ST", "", "TRLR", "8" },
	{ "123 Main St Trailer 8", NULL, STREET,
	  "123 MAIN ST TRLR 8", "123", "", "MAIN", "ST", "", "TRLR", "8" },
	{ "123 Main St Apt", NULL, STREET,
	  "123 MAIN ST APT", "123", "", "MAIN", "ST", "", "APT", "" },
	{ "123 Main St Ste 100 PMB 5", NULL, STREET,
	  "123 MAIN ST STE 100 PMB 5", "123", "", "MAIN", "ST", "", "STE", "100" },
	{ "123 Main St PMB 5", NULL, STREET,
	  "123 MAIN ST PMB 5", "123", "", "MAIN", "ST", "", "", "" },
	{ "123 Main St", "PMB 5", STREET,
	  "123 MAIN ST PMB 5", "123", "", "MAIN", "ST", "", "", "" },
	{ "123 Main St Ste 100", "PMB 5", STREET,
	  "123 MAIN ST STE 100 PMB 5", "123", "", "MAIN", "ST", "", "STE", "100" },
	{ "123 Main St Ste 100 #5", NULL, STREET,
	  "123 MAIN ST STE 100 # 5", "123", "", "MAIN", "ST", "", "STE", "100" },
	{ "123 Main St Bldg 5 Apt 2", NULL, STREET,
	  "123 MAIN ST BLDG 5", "123", "", "MAIN", "ST", "", "BLDG", "5" },
	{ "2800 E Observatory Rd", NULL, STREET,
	  "2800 E OBSERVATORY RD", "2800", "E", "OBSERVATORY", "RD", "", "", "" },
	{ "1111 S Figueroa St", NULL, STREET,
	  "1111 S FIGUEROA ST", "1111", "S", "FIGUEROA", "ST", "", "", "" },
	{ "6801 Hollywood Blvd", NULL, STREET,
	  "6801 HOLLYWOOD BLVD", "6801", "", "HOLLYWOOD", "BLVD", "", "", "" },
	{ "3799 Las Vegas Blvd S", NULL, STREET,
	  "3799 LAS VEGAS BLVD S", "3799", "", "LAS VEGAS", "BLVD", "S", "", "" },
	{ "3600 S Las Vegas Blvd", NULL, STREET,
	  "3600 S LAS VEGAS BLVD", "3600", "S", "LAS VEGAS", "BLVD", "", "", "" },
	{ "700 Clark Ave", NULL, STREET,
	  "700 CLARK AVE", "700", "", "CLARK", "AVE", "", "", "" },
	{ "1 Yawkey Way", NULL, STREET,
	  "1 YAWKEY WAY", "1", "", "YAWKEY", "WAY", "", "", "" },
	{ "4 Jersey St", NULL, STREET,
	  "4 JERSEY ST", "4", "", "JERSEY", "ST", "", "", "" },
	{ "1060 W Addison St", NULL, STREET,
	  "1060 W ADDISON ST", "1060", "W", "ADDISON", "ST", "", "", "" },
	{ "333 W 35th St", NULL, STREET,
	  "333 W 35TH ST", "333", "W", "35TH", "ST", "", "", "" },
	{ "1 E 161st St", NULL, STREET,
	  "1 E 161ST ST", "1", "E", "161ST", "ST", "", "", "" },
	{ "41 Seaver Way", NULL, STREET,
	  "41 SEAVER WAY", "41", "", "SEAVER", "WAY", "", "", "" },
	{ "2401 Ontario St", NULL, STREET,
	  "2401 ONTARIO ST", "2401", "", "ONTARIO", "ST", "", "", "" },
	{ "1 Lincoln Financial Field Way", NULL, STREET,
	  "1 LINCOLN FINANCIAL FIELD WAY", "1", "", "LINCOLN FINANCIAL FIELD", "WAY", "", "", "" },
	{ "1500 S Capitol St SE", NULL, STREET,
	  "1500 S CAPITOL ST SE", "1500", "S", "CAPITOL", "ST", "SE", "", "" },
	{ "24 Willie Mays Plaza", NULL, STREET,
	  "24 WILLIE MAYS PLZ", "24", "", "WILLIE MAYS", "PLZ", "", "", "" },
	{ "1000 Elysian Park Ave", NULL, STREET,
	  "1000 ELYSIAN PARK AVE", "1000", "", "ELYSIAN PARK", "AVE", "", "", "" },
	{ "2500 Victory Ave", NULL, STREET,
	  "2500 VICTORY AVE", "2500", "", "VICTORY", "AVE", "", "", "" },
	{ "1 Patriot Pl", NULL, STREET,
	  "1 PATRIOT PL", "1", "", "PATRIOT", "PL", "", "", "" },
	{ "100 Legends Way", NULL, STREET,
	  "100 LEGENDS WAY", "100", "", "LEGENDS", "WAY", "", "", "" },
	{ "1 Blue Jays Way", NULL, STREET,
	  "1 BLUE JAYS WAY", "1", "", "BLUE JAYS", "WAY", "", "", "" },
	{ "501 Crawford St", NULL, STREET,
	  "501 CRAWFORD ST", "501", "", "CRAWFORD", "ST", "", "", "" },
	{ "1000 Vin Scully Ave", NULL, STREET,
	  "1000 VIN SCULLY AVE", "1000", "", "VIN SCULLY", "AVE", "", "", "" },
	{ "2001 Martin Luther King Jr Blvd", NULL, STREET,
	  "2001 MARTIN LUTHER KING JR BLVD", "2001", "", "MARTIN LUTHER KING JR", "BLVD", "",
	  "", "" },
	{ "123 Martin Luther King Junior Boulevard", NULL, STREET,
	  "123 MARTIN LUTHER KING JUNIOR BLVD", "123", "", "MARTIN LUTHER KING JUNIOR", "BLVD",
	  "", "", "" },
	{ "123 Saint Charles Ave", NULL, STREET,
	  "123 SAINT CHARLES AVE", "123", "", "SAINT CHARLES", "AVE", "", "", "" },
	{ "123 St Charles Ave", NULL, STREET,
	  "123 ST CHARLES AVE", "123", "", "ST CHARLES", "AVE", "", "", "" },
	{ "123 St. Mary's Rd", NULL, STREET,
	  "123 ST MARYS RD", "123", "", "ST MARYS", "RD", "", "", "" },
	{ "123 O'Farrell St", NULL, STREET,
	  "123 O FARRELL ST", "123", "", "O FARRELL", "ST", "", "", "" },
	{ "123 O\342\200\231Farrell St", NULL, STREET,
	  "123 O FARRELL ST", "123", "", "O FARRELL", "ST", "", "", "" },
	{ "123 Mt Vernon Pkwy", NULL, STREET,
	  "123 MT VERNON PKWY", "123", "", "MT VERNON", "PKWY", "", "", "" },
	{ "123 Mount Vernon Parkway", NULL, STREET,
	  "123 MOUNT VERNON PKWY", "123", "", "MOUNT VERNON", "PKWY", "", "", "" },
	{ "123 Fort Washington Ave", NULL, STREET,
	  "123 FORT WASHINGTON AVE", "123", "", "FORT WASHINGTON", "AVE", "", "", "" },
	{ "123 Mountain View Ave", NULL, STREET,
	  "123 MOUNTAIN VIEW AVE", "123", "", "MOUNTAIN VIEW", "AVE", "", "", "" },
	{ "123 Sunset Blvd", NULL, STREET,
	  "123 SUNSET BLVD", "123", "", "SUNSET", "BLVD", "", "", "" },
	{ "123 Sunset Boulevard", NULL, STREET,
	  "123 SUNSET BLVD", "123", "", "SUNSET", "BLVD", "", "", "" },
	{ "123 Ocean Dr", NULL, STREET,
	  "123 OCEAN DR", "123", "", "OCEAN", "DR", "", "", "" },
	{ "123 Ocean Drive", NULL, STREET,
	  "123 OCEAN DR", "123", "", "OCEAN", "DR", "", "", "" },
	{ "123 Elm Ct", NULL, STREET,
	  "123 ELM CT", "123", "", "ELM", "CT", "", "", "" },
	{ "123 Elm Court", NULL, STREET,
	  "123 ELM CT", "123", "", "ELM", "CT", "", "", "" },
	{ "123 Oak Ln", NULL, STREET,
	  "123 OAK LN", "123", "", "OAK", "LN", "", "", "" },
	{ "123 Oak Lane", NULL, STREET,
	  "123 OAK LN", "123", "", "OAK", "LN", "", "", "" },
	{ "123 Pine Cir", NULL, STREET,
	  "123 PINE CIR", "123", "", "PINE", "CIR", "", "", "" },
	{ "123 Pine Circle", NULL, STREET,
	  "123 PINE CIR", "123", "", "PINE", "CIR", "", "", "" },
	{ "123 Maple Ter", NULL, STREET,
	  "123 MAPLE TER", "123", "", "MAPLE", "TER", "", "", "" },
	{ "123 Maple Terrace", NULL, STREET,
	  "123 MAPLE TER", "123", "", "MAPLE", "TER", "", "", "" },
	{ "123 Cedar Trl", NULL, STREET,
	  "123 CEDAR TRL", "123", "", "CEDAR", "TRL", "", "", "" },
	{ "123 Cedar Trail", NULL, STREET,
	  "123 CEDAR TRL", "123", "", "CEDAR", "TRL", "", "", "" },
	{ "123 Birch Rd", NULL, STREET,
	  "123 BIRCH RD", "123", "", "BIRCH", "RD", "", "", "" },
	{ "123 Birch Road", NULL, STREET,
	  "123 BIRCH RD", "123", "", "BIRCH", "RD", "", "", "" },
	{ "123 Willow Way", NULL, STREET,
	  "123 WILLOW WAY", "123", "", "WILLOW", "WAY", "", "", "" },
	{ "123 Aspen Pl", NULL, STREET,
	  "123 ASPEN PL", "123", "", "ASPEN", "PL", "", "", "" },
	{ "123 Aspen Place", NULL, STREET,
	  "123 ASPEN PL", "123", "", "ASPEN", "PL", "", "", "" },
	{ "123 Hillside Cres", NULL, STREET,
	  "123 HILLSIDE CRES", "123", "", "HILLSIDE", "CRES", "", "", "" },
	{ "123 Valley Crossing", NULL, STREET,
	  "123 VALLEY XING", "123", "", "VALLEY", "XING", "", "", "" },
	{ "123 Lake Shore Dr", NULL, STREET,
	  "123 LAKE SHORE DR", "123", "", "LAKE SHORE", "DR", "", "", "" },
	{ "123 N Lake Shore Drive", NULL, STREET,
	  "123 N LAKE SHORE DR", "123", "N", "LAKE SHORE", "DR", "", "", "" },
	{ "123 Harbor Pointe", NULL, STREET,
	  "123 HARBOR POINTE", "123", "", "HARBOR POINTE", "", "", "", "" },
	{ "123 Spring Garden St", NULL, STREET,
	  "123 SPRING GARDEN ST", "123", "", "SPRING GARDEN", "ST", "", "", "" },
	{ "123 Country Club Estates", NULL, STREET,
	  "123 COUNTRY CLUB ESTS", "123", "", "COUNTRY CLUB", "ESTS", "", "", "" },
	{ "123 Riverside Expressway", NULL, STREET,
	  "123 RIVERSIDE EXPY", "123", "", "RIVERSIDE", "EXPY", "", "", "" },
	{ "123 Garden State Pkwy", NULL, STREET,
	  "123 GARDEN STATE PKWY", "123", "", "GARDEN STATE", "PKWY", "", "", "" },
	{ "123 Turnpike Rd", NULL, STREET,
	  "123 TURNPIKE RD", "123", "", "TURNPIKE", "RD", "", "", "" },
	{ "123 Boston Post Road", NULL, STREET,
	  "123 BOSTON POST RD", "123", "", "BOSTON POST", "RD", "", "", "" },
	{ "123 Main St Ext", NULL, STREET,
	  "123 MAIN ST EXT", "123", "", "MAIN ST", "EXT", "", "", "" },
	{ "123 Canyon Crest Dr", NULL, STREET,
	  "123 CANYON CREST DR", "123", "", "CANYON CREST", "DR", "", "", "" },
	{ "123 Fox Run", NULL, STREET,
	  "123 FOX RUN", "123", "", "FOX", "RUN", "", "", "" },
	{ "123 Deer Path", NULL, STREET,
	  "123 DEER PATH", "123", "", "DEER", "PATH", "", "", "" },
	{ "123 Hunters Glen", NULL, STREET,
	  "123 HUNTERS GLN", "123", "", "HUNTERS", "GLN", "", "", "" },
	{ "123 Willow Bend", NULL, STREET,
	  "123 WILLOW BND", "123", "", "WILLOW", "BND", "", "", "" },
	{ "123 Cherry Hills Sq", NULL, STREET,
	  "123 CHERRY HILLS SQ", "123", "", "CHERRY HILLS", "SQ", "", "", "" },
	{ "123 Front St", NULL, STREET,
	  "123 FRONT ST", "123", "", "FRONT", "ST", "", "", "" },
	{ "123 Front St Rear", NULL, STREET,
	  "123 FRONT ST REAR", "123", "", "FRONT", "ST", "", "REAR", "" },
	{ "123 E Front St", NULL, STREET,
	  "123 E FRONT ST", "123", "E", "FRONT", "ST", "", "", "" },
	{ "123 Key West Ave", NULL, STREET,
	  "123 KEY WEST AVE", "123", "", "KEY WEST", "AVE", "", "", "" },
	{ "123 Lower River Rd", NULL, STREET,
	  "123 LOWER RIVER RD", "123", "", "LOWER RIVER", "RD", "", "", "" },
	{ "123 Upper Ridge Rd", NULL, STREET,
	  "123 UPPER RIDGE RD", "123", "", "UPPER RIDGE", "RD", "", "", "" },
	{ "123 Pier 39", NULL, STREET,
	  "123 PIER 39", "123", "", "PIER 39", "", "", "", "" },
	{ "123 Lot St", NULL, STREET,
	  "123 LOT ST", "123", "", "LOT", "ST", "", "", "" },
	{ "123 Box Elder Rd", NULL, STREET,
	  "123 BOX ELDER RD", "123", "", "BOX ELDER", "RD", "", "", "" },
	{ "123 Rural Route Rd", NULL, STREET,
	  "123 RURAL ROUTE RD", "123", "", "RURAL ROUTE", "RD", "", "", "" },
	{ "123 Post Office Rd", NULL, STREET,
	  "123 POST OFFICE RD", "123", "", "POST OFFICE", "RD", "", "", "" },
	{ "123 Suite St", NULL, STREET,
	  "123 SUITE ST", "123", "", "SUITE", "ST", "", "", "" },
	{ "123 Unit Rd", NULL, STREET,
	  "123 UNIT RD", "123", "", "UNIT", "RD", "", "", "" },
	{ "123 Pe\303\261a Blvd", NULL, STREET,
	  "123 PENA BLVD", "123", "", "PENA", "BLVD", "", "", "" },
	{ "123 Calle \303\201lamo", NULL, STREET,
	  "123 CALLE ALAMO", "123", "", "CALLE ALAMO", "", "", "", "" },
	{ "123 Avenida Ponce de Le\303\263n", NULL, STREET,
	  "123 AVENIDA PONCE DE LEON", "123", "", "AVENIDA PONCE DE LEON", "", "", "", "" },
	{ "123 MAIN ST", NULL, STREET,
	  "123 MAIN ST", "123", "", "MAIN", "ST", "", "", "" },
	{ "123 main st", NULL, STREET,
	  "123 MAIN ST", "123", "", "MAIN", "ST", "", "", "" },
	{ "123 Main St.,", NULL, STREET,
	  "123 MAIN ST", "123", "", "MAIN", "ST", "", "", "" },
	{ "123, Main St", NULL, STREET,
	  "123 MAIN ST", "123", "", "MAIN", "ST", "", "", "" },
	{ "123 Main   St.  Apt.  4", NULL, STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St; Apt 4", NULL, STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "123 Main St", "Apt. 4", STREET,
	  "123 MAIN ST APT 4", "123", "", "MAIN", "ST", "", "APT", "4" },
	{ "PO Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "PO BOX 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "po box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "P.O. Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "P. O. Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "P O Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "P.O.Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "POB 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "P.O.B. 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "Post Office Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "Post Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "PO Bx 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "POBox 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "POBOX123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "Box 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "BOX123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "PO Box #123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "PO 123", NULL, PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "PO Drawer 5", NULL, PO_BOX,
	  "PO BOX 5", "5", "", "PO BOX", "", "", "", "" },
	{ "Drawer 5", NULL, PO_BOX,
	  "PO BOX 5", "5", "", "PO BOX", "", "", "", "" },
	{ "Lockbox 5", NULL, PO_BOX,
	  "PO BOX 5", "5", "", "PO BOX", "", "", "", "" },
	{ "Caller 5", NULL, PO_BOX,
	  "PO BOX 5", "5", "", "PO BOX", "", "", "", "" },
	{ "PO Box 720114", NULL, PO_BOX,
	  "PO BOX 720114", "720114", "", "PO BOX", "", "", "", "" },
	{ "PO Box 123-A", NULL, PO_BOX,
	  "PO BOX 123-A", "123-A", "", "PO BOX", "", "", "", "" },
	{ "PO Box 123 PMB 5", NULL, PO_BOX,
	  "PO BOX 123 PMB 5", "123", "", "PO BOX", "", "", "", "" },
	{ "PO Box 123", "Apt 4", PO_BOX,
	  "PO BOX 123 APT 4", "123", "", "PO BOX", "", "", "APT", "4" },
	{ "Acme Inc", "PO Box 123", PO_BOX,
	  "PO BOX 123", "123", "", "PO BOX", "", "", "", "" },
	{ "PO Box", NULL, PO_BOX,
	  "PO BOX", "", "", "PO BOX", "", "", "", "" },
	{ "RR 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RR 1 BOX 123", NULL, RURAL_ROUTE,
	  "RR 1 BOX 123", "123", "", "RR 1 BOX", "", "", "", "" },
	{ "R.R. 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "R R 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RR2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RR #2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "Rural Route 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "Rural Rte 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "Route 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "Rte 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RT 2 BOX 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RFD 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RD 2 Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RR 2 Bx 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RR 2 PO Box 152", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "RR 2 Box 152A", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152A", "152A", "", "RR 2 BOX", "", "", "", "" },
	{ "RR 2", NULL, RURAL_ROUTE,
	  "RR 2", "", "", "RR 2", "", "", "", "" },
	{ "Box 152 RR 2", NULL, RURAL_ROUTE,
	  "RR 2 BOX 152", "152", "", "RR 2 BOX", "", "", "", "" },
	{ "HC 68 Box 23A", NULL, HIGHWAY_CONTRACT,
	  "HC 68 BOX 23A", "23A", "", "HC 68 BOX", "", "", "", "" },
	{ "HC 68 Box 23", NULL, HIGHWAY_CONTRACT,
	  "HC 68 BOX 23", "23", "", "HC 68 BOX", "", "", "", "" },
	{ "HCR 68 Box 23", NULL, HIGHWAY_CONTRACT,
	  "HC 68 BOX 23", "23", "", "HC 68 BOX", "", "", "", "" },
	{ "Highway Contract 68 Box 23A", NULL, HIGHWAY_CONTRACT,
	  "HC 68 BOX 23A", "23A", "", "HC 68 BOX", "", "", "", "" },
	{ "Highway Contract Route 68 Box 23A", NULL, HIGHWAY_CONTRACT,
	  "HC 68 BOX 23A", "23A", "", "HC 68 BOX", "", "", "", "" },
	{ "Hwy Contract 68 Box 23", NULL, HIGHWAY_CONTRACT,
	  "HC 68 BOX 23", "23", "", "HC 68 BOX", "", "", "", "" },
	{ "Star Route 5 Box 2", NULL, HIGHWAY_CONTRACT,
	  "HC 5 BOX 2", "2", "", "HC 5 BOX", "", "", "", "" },
	{ "HC68 Box 23", NULL, HIGHWAY_CONTRACT,
	  "HC 68 BOX 23", "23", "", "HC 68 BOX", "", "", "", "" },
	{ "PSC 802 Box 74", NULL, MILITARY,
	  "PSC 802 BOX 74", "74", "", "PSC 802 BOX", "", "", "", "" },
	{ "PSC 802 BOX 74 APO AE 09499", NULL, MILITARY,
	  "PSC 802 BOX 74", "74", "", "PSC 802 BOX", "", "", "", "" },
	{ "PSC 802, Box 74", NULL, MILITARY,
	  "PSC 802 BOX 74", "74", "", "PSC 802 BOX", "", "", "", "" },
	{ "PSC802 Box 74", NULL, MILITARY,
	  "PSC 802 BOX 74", "74", "", "PSC 802 BOX", "", "", "", "" },
	{ "CMR 450 Box 123", NULL, MILITARY,
	  "CMR 450 BOX 123", "123", "", "CMR 450 BOX", "", "", "", "" },
	{ "CMR 409 BOX 145", NULL, MILITARY,
	  "CMR 409 BOX 145", "145", "", "CMR 409 BOX", "", "", "", "" },
	{ "CMR 409 Box 145 APO AE", NULL, MILITARY,
	  "CMR 409 BOX 145", "145", "", "CMR 409 BOX", "", "", "", "" },
	{ "Unit 2050 Box 4190", NULL, MILITARY,
	  "UNIT 2050 BOX 4190", "4190", "", "UNIT 2050 BOX", "", "", "", "" },
	{ "UNIT 8900 BOX 4301", NULL, MILITARY,
	  "UNIT 8900 BOX 4301", "4301", "", "UNIT 8900 BOX", "", "", "", "" },
	{ "Unit 8900 Box 4301 DPO AE 09831", NULL, MILITARY,
	  "UNIT 8900 BOX 4301", "4301", "", "UNIT 8900 BOX", "", "", "", "" },
	{ "Unit 2050 Box 4190 APO AP 96278", NULL, MILITARY,
	  "UNIT 2050 BOX 4190", "4190", "", "UNIT 2050 BOX", "", "", "", "" },
	{ "Unit 100100 Box 3 FPO AA 34001", NULL, MILITARY,
	  "UNIT 100100 BOX 3", "3", "", "UNIT 100100 BOX", "", "", "", "" },
	{ "Box 4190 Unit 2050", NULL, MILITARY,
	  "UNIT 2050 BOX 4190", "4190", "", "UNIT 2050 BOX", "", "", "", "" },
	{ "PSC 802", NULL, MILITARY,
	  "PSC 802", "", "", "PSC 802", "", "", "", "" },
	{ "General Delivery", NULL, GENERAL_DELIVERY,
	  "GENERAL DELIVERY", "", "", "GENERAL DELIVERY", "", "", "", "" },
	{ "GENERAL DELIVERY", NULL, GENERAL_DELIVERY,
	  "GENERAL DELIVERY", "", "", "GENERAL DELIVERY", "", "", "", "" },
	{ "general delivery", NULL, GENERAL_DELIVERY,
	  "GENERAL DELIVERY", "", "", "GENERAL DELIVERY", "", "", "", "" },
	{ "URB Las Gladiolas 150 Calle A", NULL, STREET,
	  "150 CALLE A", "150", "", "CALLE A", "", "", "", "" },
	{ "150 Calle A", "URB Las Gladiolas", STREET,
	  "150 CALLE A", "150", "", "CALLE A", "", "", "", "" },
	{ "URB Las Gladiolas", "150 Calle A", STREET,
	  "150 CALLE A", "150", "", "CALLE A", "", "", "", "" },
	{ "Urbanizacion Las Gladiolas 150 Calle A", NULL, STREET,
	  "150 CALLE A", "150", "", "CALLE A", "", "", "", "" },
	{ "URB. Fair Oaks 123 Ave Winston Churchill", NULL, STREET,
	  "123 AVE WINSTON CHURCHILL", "123", "", "AVE WINSTON CHURCHILL", "", "", "", "" },
	{ "123 Ave Winston Churchill", "URB Fair Oaks", STREET,
	  "123 AVE WINSTON CHURCHILL", "123", "", "AVE WINSTON CHURCHILL", "", "", "", "" },
	{ "1234 Calle Loiza", NULL, STREET,
	  "1234 CALLE LOIZA", "1234", "", "CALLE LOIZA", "", "", "", "" },
	{ "1234 Calle Loiza Apt 5", NULL, STREET,
	  "1234 CALLE LOIZA APT 5", "1234", "", "CALLE LOIZA", "", "", "APT", "5" },
	{ "URB Villa Carolina 12 Calle 5", NULL, STREET,
	  "12 CALLE 5", "12", "", "CALLE 5", "", "", "", "" },
	{ "Acme Corp", "210 King St", STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "C/O John Smith", "210 King St", STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "C/O John Smith, 210 King St", NULL, STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "Attn: Billing, 210 King St, Ste 6100", NULL, STREET,
	  "210 KING ST STE 6100", "210", "", "KING", "ST", "", "STE", "6100" },
	{ "210 King St", "Attn Billing", STREET,
	  "210 KING ST", "210", "", "KING", "ST", "", "", "" },
	{ "123", "Main St", STREET,
	  "123 MAIN ST", "123", "", "MAIN", "ST", "", "", "" },
	{ "123 West North Ave", NULL, STREET,
	  "123 W NORTH AVE", "123", "W", "NORTH", "AVE", "", "", "" },
	{ "1 Ferry Bldg Ste 50", NULL, STREET,
	  "1 FERRY BLDG STE 50", "1", "", "FERRY BLDG", "", "", "STE", "50" },
};

static void test_lines(void)
{
	size_t n = sizeof(lines) / sizeof(lines[0]);

	for (size_t i = 0; i < n; i++) {
		const struct line_case *c = &lines[i];
		struct us_address a;
		char err[64] = "";
		int rc = us_address_parse(c->line1, c->line2, &a, err, sizeof(err));
		const char *l2 = c->line2 ? c->line2 : "";

		CHECK(rc == 0, "parses '%s' '%s' (%s)", c->line1, l2, err);
		CHECK_STR(a.primary_line, c->primary_line, "primary_line of '%s' '%s'", c->line1,
			  l2);
		CHECK_INT(a.kind, c->kind, "kind of '%s'", c->line1);
		CHECK_STR(a.primary_number, c->number, "primary_number of '%s'", c->line1);
		CHECK_STR(a.street_predirection, c->predir, "street_predirection of '%s'",
			  c->line1);
		CHECK_STR(a.street_name, c->name, "street_name of '%s'", c->line1);
		CHECK_STR(a.street_suffix, c->suffix, "street_suffix of '%s'", c->line1);
		CHECK_STR(a.street_postdirection, c->postdir, "street_postdirection of '%s'",
			  c->line1);
		CHECK_STR(a.secondary_designator, c->desig, "secondary_designator of '%s' '%s'",
			  c->line1, l2);
		CHECK_STR(a.secondary_number, c->unit, "secondary_number of '%s' '%s'", c->line1,
			  l2);
	}
	CHECK(n >= 300, "%zu address lines in the table", n);
}

/* ------------------------------------------------------------------------ */
/* the components the line table does not show                              */
/* ------------------------------------------------------------------------ */

struct extra_case {
	const char *line1, *line2;
	const char *primary_line, *pmb_desig, *pmb_number, *extra_desig, *extra_number;
	const char *urbanization, *route, *route_number, *mil_city, *mil_state, *mil_zip;
	const char *secondary_line;
};

static const struct extra_case extras[] = {
	{ "123 Main St Ste 100 PMB 5", NULL, "123 MAIN ST STE 100 PMB 5",
	  "PMB", "5", "", "", "", "", "", "", "", "", "" },
	{ "123 Main St", "Private Mailbox 5", "123 MAIN ST PMB 5",
	  "PMB", "5", "", "", "", "", "", "", "", "", "" },
	{ "123 Main St Ste 100 #5", NULL, "123 MAIN ST STE 100 # 5",
	  "#", "5", "", "", "", "", "", "", "", "", "" },
	{ "123 Main St Bldg 5 Apt 2", NULL, "123 MAIN ST BLDG 5",
	  "", "", "APT", "2", "", "", "", "", "", "", "" },
	{ "123 Main St Bldg 5", "Apt 2 PMB 9", "123 MAIN ST BLDG 5 PMB 9",
	  "PMB", "9", "APT", "2", "", "", "", "", "", "", "" },
	{ "URB Las Gladiolas 150 Calle A", NULL, "150 CALLE A",
	  "", "", "", "", "URB LAS GLADIOLAS", "", "", "", "", "", "" },
	{ "150 Calle A", "Urbanización Las Gladiolas", "150 CALLE A",
	  "", "", "", "", "URB LAS GLADIOLAS", "", "", "", "", "", "" },
	{ "RR 2 Box 152", NULL, "RR 2 BOX 152",
	  "", "", "", "", "", "RR", "2", "", "", "", "" },
	{ "Highway Contract 68 Box 23A", NULL, "HC 68 BOX 23A",
	  "", "", "", "", "", "HC", "68", "", "", "", "" },
	{ "PSC 802 Box 74 APO AE 09499", NULL, "PSC 802 BOX 74",
	  "", "", "", "", "", "PSC", "802", "APO", "AE", "09499", "" },
	{ "CMR 409 Box 145", "APO AE 09053-0002", "CMR 409 BOX 145",
	  "", "", "", "", "", "CMR", "409", "", "", "", "APO AE 09053-0002" },
	{ "Unit 8900 Box 4301 DPO AE 09831-4301", NULL, "UNIT 8900 BOX 4301",
	  "", "", "", "", "", "UNIT", "8900", "DPO", "AE", "09831-4301", "" },
	{ "Unit 2050 Box 4190 FPO AP", NULL, "UNIT 2050 BOX 4190",
	  "", "", "", "", "", "UNIT", "2050", "FPO", "AP", "", "" },
	{ "Acme Corp", "210 King St", "210 KING ST",
	  "", "", "", "", "", "", "", "", "", "", "ACME CORP" },
	{ "210 King St", "C/O Jane Doe & Sons", "210 KING ST",
	  "", "", "", "", "", "", "", "", "", "", "C/O JANE DOE & SONS" },
	{ "123 Main St", "PO Box 5", "123 MAIN ST",
	  "", "", "", "", "", "", "", "", "", "", "PO BOX 5" },
};

static void test_extras(void)
{
	for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		const struct extra_case *c = &extras[i];
		struct us_address a;
		char err[64] = "";

		CHECK(us_address_parse(c->line1, c->line2, &a, err, sizeof(err)) == 0,
		      "parses '%s' (%s)", c->line1, err);
		CHECK_STR(a.primary_line, c->primary_line, "primary_line of '%s'", c->line1);
		CHECK_STR(a.pmb_designator, c->pmb_desig, "pmb_designator of '%s'", c->line1);
		CHECK_STR(a.pmb_number, c->pmb_number, "pmb_number of '%s'", c->line1);
		CHECK_STR(a.extra_secondary_designator, c->extra_desig,
			  "extra_secondary_designator of '%s'", c->line1);
		CHECK_STR(a.extra_secondary_number, c->extra_number,
			  "extra_secondary_number of '%s'", c->line1);
		CHECK_STR(a.urbanization, c->urbanization, "urbanization of '%s'", c->line1);
		CHECK_STR(a.route_designator, c->route, "route_designator of '%s'", c->line1);
		CHECK_STR(a.route_number, c->route_number, "route_number of '%s'", c->line1);
		CHECK_STR(a.military_city, c->mil_city, "military_city of '%s'", c->line1);
		CHECK_STR(a.military_state, c->mil_state, "military_state of '%s'", c->line1);
		CHECK_STR(a.military_zip, c->mil_zip, "military_zip of '%s'", c->line1);
		CHECK_STR(a.secondary_line, c->secondary_line, "secondary_line of '%s'", c->line1);
	}
}

/* ------------------------------------------------------------------------ */
/* failures                                                                 */
/* ------------------------------------------------------------------------ */

static void test_errors(void)
{
	static const struct { const char *line1, *line2, *err, *partial_name; } cases[] = {
		{ NULL, NULL, "empty address", "" },
		{ "", "", "empty address", "" },
		{ "   ", NULL, "empty address", "" },
		{ " , ; .", "\t", "empty address", "" },
		{ "Main St", NULL, "no house number", "MAIN" },
		{ "N Main Street", NULL, "no house number", "MAIN" },
		{ "Acme Corp", NULL, "no house number", "ACME CORP" },
		{ "Box Elder Rd", NULL, "no house number", "BOX ELDER" },
		{ "Ste 100", NULL, "no house number", "" },
		{ "123", NULL, "no street name", "" },
		{ "123 1/2", NULL, "no street name", "" },
	};
	char long_line[700], many_words[400];
	struct us_address a;
	char err[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *l1 = cases[i].line1 ? cases[i].line1 : "(null)";
		int rc;

		err[0] = '\0';
		rc = us_address_parse(cases[i].line1, cases[i].line2, &a, err, sizeof(err));
		CHECK_INT(rc, -1, "'%s' fails", l1);
		CHECK_STR(err, cases[i].err, "reason for '%s'", l1);
		CHECK_INT(a.kind, UNKNOWN, "kind after failing '%s'", l1);
		CHECK_STR(a.street_name, cases[i].partial_name, "partial street of '%s'", l1);
	}
	memset(long_line, 'A', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	memcpy(long_line, "123 ", 4);
	CHECK_INT(us_address_parse(long_line, NULL, &a, err, sizeof(err)), -1,
		  "a 700-byte line fails");
	CHECK_STR(err, "address too long", "reason for a 700-byte line");
	for (int i = 0; i < 90; i++)
		memcpy(many_words + 2 * i, "A ", 2);
	many_words[180] = '\0';
	CHECK_INT(us_address_parse("123 Main St", many_words, &a, err, sizeof(err)), -1,
		  "90 words fail");
	CHECK_STR(err, "address too long", "reason for 90 words");
	CHECK_INT(us_address_parse("", NULL, &a, NULL, 0), -1, "err may be NULL");
	CHECK_INT(us_address_parse("123 Main St", NULL, &a, NULL, 0), 0, "err NULL on success");
	CHECK_INT(us_address_parse("PO Box", NULL, &a, err, sizeof(err)), 0,
		  "PO BOX without a number parses");
	CHECK_STR(a.primary_number, "", "... with no primary_number (Lob's P1)");
}

/* ------------------------------------------------------------------------ */
/* one-line addresses                                                       */
/* ------------------------------------------------------------------------ */

struct freeform_case {
	const char *text, *primary_line, *city, *state, *zip;
};

static const struct freeform_case freeforms[] = {
	{ "210 King St, San Francisco CA 94107", "210 KING ST", "SAN FRANCISCO", "CA", "94107" },
	{ "210 King St San Francisco CA 94107-1702", "210 KING ST", "SAN FRANCISCO", "CA",
	  "94107-1702" },
	{ "210 King St, San Francisco, CA 941071702", "210 KING ST", "SAN FRANCISCO", "CA",
	  "94107-1702" },
	{ "210 King St Suite 6100 San Francisco CA 94107", "210 KING ST STE 6100",
	  "SAN FRANCISCO", "CA", "94107" },
	{ "210 King St, Suite 6100, San Francisco, CA 94107", "210 KING ST STE 6100",
	  "SAN FRANCISCO", "CA", "94107" },
	{ "210 King St #6100, San Francisco CA 94107", "210 KING ST # 6100", "SAN FRANCISCO",
	  "CA", "94107" },
	{ "210 King St 6100 San Francisco CA 94107", "210 KING ST # 6100", "SAN FRANCISCO",
	  "CA", "94107" },
	{ "210 King St, San Francisco, California 94107", "210 KING ST", "SAN FRANCISCO", "CA",
	  "94107" },
	{ "210 King St, San Francisco, CA", "210 KING ST", "SAN FRANCISCO", "CA", "" },
	{ "210 King St, San Francisco", "210 KING ST", "SAN FRANCISCO", "", "" },
	{ "210 King St San Francisco 94107", "210 KING ST", "SAN FRANCISCO", "", "94107" },
	{ "210 King St", "210 KING ST", "", "", "" },
	{ "210 King St, Ste 5, CA 94107", "210 KING ST STE 5", "", "CA", "94107" },
	{ "Acme Inc, 210 King St, San Francisco, CA 94107", "210 KING ST", "SAN FRANCISCO", "CA",
	  "94107" },
	{ "350 Fifth Avenue, New York, NY 10118, USA", "350 FIFTH AVE", "NEW YORK", "NY",
	  "10118" },
	{ "350 Fifth Avenue, New York, NY 10118 United States", "350 FIFTH AVE", "NEW YORK", "NY",
	  "10118" },
	{ "123 Main St, New York, New York 10001", "123 MAIN ST", "NEW YORK", "NY", "10001" },
	{ "100 Avenue of the Americas, New York, NY 10013", "100 AVENUE OF THE AMERICAS",
	  "NEW YORK", "NY", "10013" },
	{ "1600 Pennsylvania Ave NW, Washington, DC 20500", "1600 PENNSYLVANIA AVE NW",
	  "WASHINGTON", "DC", "20500" },
	{ "1600 Pennsylvania Ave NW Washington DC 20500", "1600 PENNSYLVANIA AVE NW",
	  "WASHINGTON", "DC", "20500" },
	{ "1600 Pennsylvania Ave. N.W., Washington, D.C. 20500", "1600 PENNSYLVANIA AVE NW",
	  "WASHINGTON", "DC", "20500" },
	{ "1 Main St, Washington, District of Columbia", "1 MAIN ST", "WASHINGTON", "DC", "" },
	{ "1234 S 500 E Salt Lake City UT 84102", "1234 S 500 E", "SALT LAKE CITY", "UT",
	  "84102" },
	{ "100 Park Ave Park City UT 84060", "100 PARK AVE", "PARK CITY", "UT", "84060" },
	{ "123 Duval St Key West FL 33040", "123 DUVAL ST", "KEY WEST", "FL", "33040" },
	{ "123 Main St Front Royal VA 22630", "123 MAIN ST", "FRONT ROYAL", "VA", "22630" },
	{ "123 Main St North Adams MA 01247", "123 MAIN ST", "NORTH ADAMS", "MA", "01247" },
	{ "123 Main St N Springfield IL", "123 MAIN ST N", "SPRINGFIELD", "IL", "" },
	{ "123 Main St Hartford CT", "123 MAIN ST", "HARTFORD", "CT", "" },
	{ "123 Main Ct", "123 MAIN CT", "", "", "" },
	{ "123 Hwy 12 Boulder CO 80301", "123 HIGHWAY 12", "BOULDER", "CO", "80301" },
	{ "123 County Rd 5 Boulder CO", "123 COUNTY ROAD 5", "BOULDER", "CO", "" },
	{ "123 Main St, St. Louis, MO 63101", "123 MAIN ST", "ST LOUIS", "MO", "63101" },
	{ "123 Main St, Winston-Salem, NC 27101", "123 MAIN ST", "WINSTON SALEM", "NC", "27101" },
	{ "123 Main St, Coeur d'Alene, ID 83814", "123 MAIN ST", "COEUR D ALENE", "ID", "83814" },
	{ "PO Box 123, Anytown, NY 12345", "PO BOX 123", "ANYTOWN", "NY", "12345" },
	{ "P.O. Box 123 Anytown NY 12345", "PO BOX 123", "ANYTOWN", "NY", "12345" },
	{ "RR 2 Box 152, Newport, NH 03773", "RR 2 BOX 152", "NEWPORT", "NH", "03773" },
	{ "HC 68 Box 23A Eagle Butte SD 57625", "HC 68 BOX 23A", "EAGLE BUTTE", "SD", "57625" },
	{ "PSC 802 Box 74 APO AE 09499", "PSC 802 BOX 74", "APO", "AE", "09499" },
	{ "Unit 8900 Box 4301, DPO, AE 09831-4301", "UNIT 8900 BOX 4301", "DPO", "AE",
	  "09831-4301" },
	{ "CMR 409 Box 145, APO, Armed Forces Europe 09053", "CMR 409 BOX 145", "APO", "AE",
	  "09053" },
	{ "General Delivery, Anytown, MT 59450", "GENERAL DELIVERY", "ANYTOWN", "MT", "59450" },
	{ "URB Las Gladiolas 150 Calle A, San Juan PR 00926", "150 CALLE A", "SAN JUAN", "PR",
	  "00926" },
	{ "150 Calle A, URB Las Gladiolas, San Juan, PR 00926", "150 CALLE A", "SAN JUAN", "PR",
	  "00926" },
	{ "123 Calle Sol, San Germán, Puerto Rico 00683", "123 CALLE SOL", "SAN GERMAN", "PR",
	  "00683" },
	{ "1 Main St\nSpringfield, IL 62701", "1 MAIN ST", "SPRINGFIELD", "IL", "62701" },
	{ "1 Main St Apt 4, Springfield, IL 62701", "1 MAIN ST APT 4", "SPRINGFIELD", "IL",
	  "62701" },
};

static void test_freeform(void)
{
	for (size_t i = 0; i < sizeof(freeforms) / sizeof(freeforms[0]); i++) {
		const struct freeform_case *c = &freeforms[i];
		struct us_address a;
		char city[64], state[3], zip[11], err[64] = "";

		int rc = us_address_parse_freeform(c->text, &a, city, sizeof(city), state, zip, err,
						   sizeof(err));

		CHECK(rc == 0, "freeform '%s' (%s)", c->text, err);
		CHECK_STR(a.primary_line, c->primary_line, "primary_line of '%s'", c->text);
		CHECK_STR(city, c->city, "city of '%s'", c->text);
		CHECK_STR(state, c->state, "state of '%s'", c->text);
		CHECK_STR(zip, c->zip, "zip of '%s'", c->text);
	}
}

static void test_freeform_details(void)
{
	struct us_address a;
	char city[8], state[3], zip[11], err[64];

	CHECK_INT(us_address_parse_freeform("PSC 802 Box 74 APO AE 09499", &a, city, sizeof(city),
					    state, zip, err, sizeof(err)), 0, "military freeform");
	CHECK_STR(a.military_city, "APO", "military_city from the last line");
	CHECK_STR(a.military_state, "AE", "military_state from the last line");
	CHECK_STR(a.military_zip, "09499", "military_zip from the last line");
	CHECK_INT(us_address_parse_freeform("Main St, Springfield, IL 62701", &a, city,
					    sizeof(city), state, zip, err, sizeof(err)), -1,
		  "freeform without a house number fails");
	CHECK_STR(err, "no house number", "... and says why");
	CHECK_STR(state, "IL", "... still giving the state");
	CHECK_STR(zip, "62701", "... and the ZIP");
	CHECK_STR(city, "", "... and the city, \"\" as no word of it fits the buffer");
	CHECK_INT(us_address_parse_freeform(NULL, &a, city, sizeof(city), state, zip, err,
					    sizeof(err)), -1, "NULL text fails");
	CHECK_STR(err, "empty address", "... as empty");
	CHECK_INT(us_address_parse_freeform("1 Main St Springfield IL", &a, city, 0, state, zip,
					    err, sizeof(err)), 0, "citylen 0 is allowed");
}

/* ------------------------------------------------------------------------ */
/* cities                                                                   */
/* ------------------------------------------------------------------------ */

static void test_cities(void)
{
	static const char *const cases[][2] = {
		{ "San Francisco", "SAN FRANCISCO" }, { "  san   francisco ", "SAN FRANCISCO" },
		{ "St. Louis", "ST LOUIS" }, { "ST.LOUIS", "ST LOUIS" },
		{ "Winston-Salem", "WINSTON SALEM" }, { "Coeur d'Alene", "COEUR D ALENE" },
		{ "Coeur d’Alene", "COEUR D ALENE" }, { "St. Mary's", "ST MARYS" },
		{ "San Germán", "SAN GERMAN" }, { "Cañon City", "CANON CITY" },
		{ "Mayagüez", "MAYAGUEZ" }, { "Washington, D.C.", "WASHINGTON DC" },
		{ "New York (Manhattan)", "NEW YORK MANHATTAN" }, { "", "" }, { " . , ", "" },
		{ "12-34 Jackson", "12-34 JACKSON" }, { "123 1/2 Main", "123 1/2 MAIN" },
	};
	char out[64], small[10];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		us_city_standardise(cases[i][0], out, sizeof(out));
		CHECK_STR(out, cases[i][1], "city '%s'", cases[i][0]);
	}
	us_city_standardise(NULL, out, sizeof(out));
	CHECK_STR(out, "", "NULL city is empty");
	us_city_standardise("Salt Lake City", small, sizeof(small));
	CHECK_STR(small, "SALT LAKE", "a long city is cut at a word");
	us_city_standardise("Springfield", small, 1);
	CHECK_STR(small, "", "outlen 1 gives an empty string");
}

/* ------------------------------------------------------------------------ */
/* Pub 28 tables                                                            */
/* ------------------------------------------------------------------------ */

static void lower(const char *in, char *out, size_t n)
{
	size_t i = 0;

	for (; in[i] && i + 1 < n; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
	out[i] = '\0';
}

static void test_suffix_table(void)
{
	int bad_lookup = 0, bad_parse = 0;
	char low[64], line[96], err[64];
	struct us_address a;

	for (size_t i = 0; i < pub28_suffix_count; i++) {
		const struct pub28_suffix *s = &pub28_suffixes[i];
		const char *got = pub28_suffix(s->written);
		lower(s->written, low, sizeof(low));
		if (!got || strcmp(got, s->standard) || !pub28_suffix(low) ||
		    strcmp(pub28_suffix(low), s->standard) || !pub28_suffix(s->primary) ||
		    (i > 0 && strcmp(pub28_suffixes[i - 1].written, s->written) >= 0)) {
			bad_lookup++;
			printf("# suffix %s -> %s\n", s->written, got ? got : "(null)");
		}
		snprintf(line, sizeof(line), "100 Harbor %s", low);
		if (us_address_parse(line, NULL, &a, err, sizeof(err)) ||
		    strcmp(a.street_name, "HARBOR") || strcmp(a.street_suffix, s->standard)) {
			bad_parse++;
			printf("# '%s' -> [%s] name %s suffix %s\n", line, a.primary_line,
			       a.street_name, a.street_suffix);
		}
	}
	CHECK(pub28_suffix_count >= 503, "%zu suffix forms (C1 has 503 rows)", pub28_suffix_count);
	CHECK_INT(bad_lookup, 0, "every suffix form (any case) looks up its abbreviation, sorted");
	CHECK_INT(bad_parse, 0, "every suffix form parses as the suffix of a street");
	CHECK_STR(pub28_suffix("Ave."), "AVE", "Ave. → AVE");
	CHECK_STR(pub28_suffix("avenu"), "AVE", "avenu → AVE");
	CHECK_STR(pub28_suffix("AVN"), "AVE", "AVN → AVE");
	CHECK_STR(pub28_suffix("AVNUE"), "AVE", "AVNUE → AVE");
	CHECK_STR(pub28_suffix("AV"), "AVE", "AV → AVE");
	CHECK_STR(pub28_suffix("AVEN"), "AVE", "AVEN → AVE");
	CHECK_STR(pub28_suffix("boulevard"), "BLVD", "boulevard → BLVD");
	CHECK_STR(pub28_suffix("Parks"), "PARK", "PARKS → PARK (C1 quirk)");
	CHECK_STR(pub28_suffix("MDW"), "MDWS", "MDW → MDWS (C1 quirk)");
	CHECK_STR(pub28_suffix("Heights"), "HTS", "HEIGHTS (a primary name C1 lists no form for)");
	CHECK(pub28_suffix("MAIN") == NULL, "MAIN is no suffix");
	CHECK(pub28_suffix("") == NULL && pub28_suffix(NULL) == NULL, "empty and NULL");
	CHECK(pub28_suffix("AVENUEAVENUEAVENUEAVENUEAVENUEAVENUEAVENUEAVENUEAVENUEAVENUE") == NULL,
	      "an over-long word");
}

static void test_unit_table(void)
{
	int bad = 0;
	char line[96], low[64], err[64];
	struct us_address a;
	bool rng = false;

	for (size_t i = 0; i < pub28_unit_count; i++) {
		const struct pub28_unit *u = &pub28_units[i];
		const char *got = pub28_unit(u->written, &rng);
		lower(u->written, low, sizeof(low));
		snprintf(line, sizeof(line), "100 Harbor Blvd %s%s", low,
			 u->needs_range ? " 5" : "");
		if (!got || strcmp(got, u->abbrev) || rng != u->needs_range ||
		    us_address_parse(line, NULL, &a, err, sizeof(err)) ||
		    strcmp(a.secondary_designator, u->abbrev) ||
		    strcmp(a.secondary_number, u->needs_range ? "5" : "") ||
		    strcmp(a.street_suffix, "BLVD")) {
			bad++;
			printf("# unit %s: [%s]\n", u->written, a.primary_line);
		}
		snprintf(line, sizeof(line), "%s 5", low);
		if (u->needs_range &&
		    (us_address_parse("100 Harbor Blvd", line, &a, err, sizeof(err)) ||
		     strcmp(a.secondary_designator, u->abbrev))) {
			bad++;
			printf("# unit on line 2 %s: [%s]\n", line, a.primary_line);
		}
	}
	CHECK(pub28_unit_count >= 40, "%zu unit forms (C2's 24 names, 16 more abbreviations)",
	      pub28_unit_count);
	CHECK_INT(bad, 0, "every C2 designator looks up and parses, on line 1 and line 2");
	CHECK_STR(pub28_unit("Suite", &rng), "STE", "Suite → STE");
	CHECK(rng, "STE needs a range");
	CHECK_STR(pub28_unit("basement", &rng), "BSMT", "basement → BSMT");
	CHECK(!rng, "BSMT needs none");
	CHECK_STR(pub28_unit("UPPER", NULL), "UPPR", "needs_range may be NULL");
	CHECK(pub28_unit("#", &rng) == NULL, "# is no C2 designator");
}

static void test_directional_table(void)
{
	int bad = 0;
	char line[96], err[64];
	struct us_address a;

	for (size_t i = 0; i < pub28_directional_count; i++) {
		const struct pub28_directional *d = &pub28_directionals[i];
		const char *got = pub28_directional(d->written);
		bool pre_ok, post_ok;
		snprintf(line, sizeof(line), "100 %s Harbor Blvd", d->written);
		pre_ok = us_address_parse(line, NULL, &a, err, sizeof(err)) == 0 &&
			 !strcmp(a.street_predirection, d->abbrev) &&
			 !strcmp(a.street_name, "HARBOR");
		snprintf(line, sizeof(line), "100 Harbor Blvd %s", d->written);
		post_ok = us_address_parse(line, NULL, &a, err, sizeof(err)) == 0 &&
			  !strcmp(a.street_postdirection, d->abbrev);
		if (!got || strcmp(got, d->abbrev) || !pre_ok || !post_ok) {
			bad++;
			printf("# directional %s: [%s]\n", d->written, a.primary_line);
		}
	}
	CHECK_INT(pub28_directional_count, 16, "8 directionals and their abbreviations");
	CHECK_INT(bad, 0, "every directional looks up and parses before and after the street");
	CHECK_STR(pub28_directional("North East"), "NE", "North East → NE");
	CHECK_STR(pub28_directional("south-west"), "SW", "south-west → SW");
	CHECK(pub28_directional("EAST WEST") == NULL, "EAST WEST is no directional");
	CHECK(pub28_directional("N N") == NULL, "N N is no directional");
}

static void test_state_table(void)
{
	int bad = 0;
	char low[64];

	for (size_t i = 0; i < pub28_state_count; i++) {
		const struct pub28_state *s = &pub28_states[i];
		lower(s->key, low, sizeof(low));
		if (!pub28_state_code(s->key) || strcmp(pub28_state_code(s->key), s->code) ||
		    !pub28_state_code(low) || strcmp(pub28_state_code(low), s->code) ||
		    !pub28_state_name(s->code) || strcmp(pub28_state_name(s->code), s->name)) {
			bad++;
			printf("# state %s\n", s->key);
		}
	}
	CHECK_INT(bad, 0, "every state name and code looks up, any case");
	CHECK_STR(pub28_state_code("California"), "CA", "California → CA");
	CHECK_STR(pub28_state_code("ca"), "CA", "ca → CA");
	CHECK_STR(pub28_state_code("District of Columbia"), "DC", "District of Columbia → DC");
	CHECK_STR(pub28_state_code("D.C."), "DC", "D.C. → DC");
	CHECK_STR(pub28_state_code("Armed Forces Pacific"), "AP", "Armed Forces Pacific → AP");
	CHECK_STR(pub28_state_code("Armed Forces Europe, the Middle East, and Canada"), "AE",
		  "Pub 28's AE name → AE");
	CHECK_STR(pub28_state_code("puerto rico"), "PR", "puerto rico → PR");
	CHECK(pub28_state_code("XX") == NULL && pub28_state_code("Calif") == NULL, "unknown");
	CHECK_STR(pub28_state_name("ny"), "New York", "ny → New York");
	CHECK(pub28_state_name("New York") == NULL, "pub28_state_name takes codes only");
}

/* ------------------------------------------------------------------------ */
/* the Pub 28 CSVs themselves, when present                                 */
/* ------------------------------------------------------------------------ */

/* splits a CSV line (quotes allowed) into up to max fields; their count */
static int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *w = line;

	while (n < max) {
		bool quoted = *line == '"';
		fields[n++] = w;
		if (quoted)
			line++;
		for (; *line && (quoted || !strchr(",\r\n", *line)); line++) {
			if (quoted && *line == '"') {
				if (line[1] != '"') {
					quoted = false;
					continue;
				}
				line++;
			}
			*w++ = *line;
		}
		if (*line != ',') {
			*w = '\0';
			break;
		}
		*w++ = '\0';
		line++;
	}
	return n;
}

static FILE *open_csv(const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), TEST_SOURCE_ROOT "/data/pub28/%s", name);
	return fopen(path, "r");
}

/* rows of one CSV whose check fails; -1 when the file is missing */
static int csv_check(const char *name, int *rows, bool (*row_ok)(char **f, int n))
{
	char line[512], *f[8];
	FILE *in = open_csv(name);
	int bad = 0;

	*rows = 0;
	if (!in)
		return -1;
	if (!fgets(line, sizeof(line), in)) {	/* header */
		fclose(in);
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		int n = csv_split(line, f, 8);
		(*rows)++;
		if (!row_ok(f, n)) {
			bad++;
			printf("# %s row %d: %s\n", name, *rows, f[0]);
		}
	}
	fclose(in);
	return bad;
}

static bool suffix_row_ok(char **f, int n)
{
	return n >= 3 && pub28_suffix(f[1]) && !strcmp(pub28_suffix(f[1]), f[2]) &&
	       pub28_suffix(f[0]) && !strcmp(pub28_suffix(f[0]), f[2]);
}

static bool unit_row_ok(char **f, int n)
{
	bool rng = false;
	const char *a = n >= 3 ? pub28_unit(f[0], &rng) : NULL;

	return a && !strcmp(a, f[1]) && rng == (f[2][0] == 'Y') && pub28_unit(f[1], NULL) &&
	       !strcmp(pub28_unit(f[1], NULL), f[1]);
}

static bool directional_row_ok(char **f, int n)
{
	return n >= 2 && pub28_directional(f[0]) && !strcmp(pub28_directional(f[0]), f[1]) &&
	       pub28_directional(f[1]) && !strcmp(pub28_directional(f[1]), f[1]);
}

static bool state_row_ok(char **f, int n)
{
	return n >= 2 && pub28_state_code(f[0]) && !strcmp(pub28_state_code(f[0]), f[1]) &&
	       pub28_state_code(f[1]) && !strcmp(pub28_state_code(f[1]), f[1]) &&
	       pub28_state_name(f[1]) && !strcmp(pub28_state_name(f[1]), f[0]);
}

static void test_csvs(void)
{
	static const struct {
		const char *file;
		int rows;
		bool (*ok)(char **f, int n);
	} csvs[] = {
		{ "pub28_street_suffixes.csv", 503, suffix_row_ok },
		{ "pub28_secondary_units.csv", 24, unit_row_ok },
		{ "pub28_directionals.csv", 8, directional_row_ok },
		{ "us_states.csv", 62, state_row_ok },
	};
	for (size_t i = 0; i < sizeof(csvs) / sizeof(csvs[0]); i++) {
		int rows, bad = csv_check(csvs[i].file, &rows, csvs[i].ok);
		if (!CHECK(bad >= 0, "data/pub28/%s is readable", csvs[i].file))
			continue;
		CHECK_INT(rows, csvs[i].rows, "%s rows", csvs[i].file);
		CHECK_INT(bad, 0, "every row of %s maps as the CSV says", csvs[i].file);
	}
}

/* ------------------------------------------------------------------------ */
/* hostile input                                                            */
/* ------------------------------------------------------------------------ */

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* NUL-terminated within its buffer; A-Z 0-9 and # & - / only, single spaces inside */
static bool valid(const char *s, size_t cap)
{
	const char *end = memchr(s, '\0', cap);

	if (!end)
		return false;
	if (s[0] == ' ' || (end > s && end[-1] == ' '))
		return false;
	for (const char *p = s; p < end; p++) {
		bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  strchr(" #&-/", *p);
		if (!ok || (*p == ' ' && p[1] == ' '))
			return false;
	}
	return true;
}

#define VALID(f) valid((f), sizeof(f))

static bool address_valid(const struct us_address *a, int rc)
{
	return a->kind >= US_ADDR_STREET && a->kind <= US_ADDR_UNKNOWN &&
	       VALID(a->primary_number) && VALID(a->street_predirection) &&
	       VALID(a->street_name) && VALID(a->street_suffix) &&
	       VALID(a->street_postdirection) && VALID(a->secondary_designator) &&
	       VALID(a->secondary_number) && VALID(a->pmb_designator) && VALID(a->pmb_number) &&
	       VALID(a->extra_secondary_designator) && VALID(a->extra_secondary_number) &&
	       VALID(a->urbanization) && VALID(a->route_designator) && VALID(a->route_number) &&
	       VALID(a->military_city) && VALID(a->military_state) && VALID(a->military_zip) &&
	       VALID(a->primary_line) && VALID(a->secondary_line) &&
	       (rc != 0 || (a->primary_line[0] && a->kind != US_ADDR_UNKNOWN));
}

static const char *const words[] = {
	"123", "1/2", "-", "#", "#12", ",", ".", "'", "N", "NORTH", "EAST", "ST", "AVE", "AVENUE",
	"PO", "BOX", "P.O.", "RR", "HC", "PSC", "CMR", "UNIT", "APO", "AE", "STE", "APT", "PMB",
	"URB", "HWY", "US", "I-95", "COUNTY", "RD", "5", "4B", "12-34", "N6W23001", "1ST", "FLOOR",
	"3RD", "REAR", "BSMT", "KEY", "WEST", "GENERAL", "DELIVERY", "ROUTE", "CA", "94107",
	"94107-1702", "SAN", "FRANCISCO", "\xc3\xb1", "\xe2\x80\x99", "\xff", "\xc3", "\t", "\n",
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "99999999999999999999999999",
	"BOX123", "RR2", "STE100", "APT-4", "PRIVATE", "MAILBOX", "USA",
};

static void random_text(char *buf, size_t cap)
{
	size_t n = 0, len = rnd() % (cap - 1);
	uint32_t mode = rnd() % 3;

	while (n < len) {
		if (mode == 0) {
			buf[n++] = (char)(1 + rnd() % 255);
		} else if (mode == 1) {
			buf[n++] = (char)(32 + rnd() % 95);
		} else {
			const char *w = words[rnd() % (sizeof(words) / sizeof(words[0]))];
			size_t wl = strlen(w);
			if (n + wl + 1 >= cap)
				break;
			memcpy(buf + n, w, wl);
			n += wl;
			buf[n++] = ' ';
		}
	}
	buf[n < cap ? n : cap - 1] = '\0';
}

static void test_hostile(void)
{
	char l1[720], l2[80], city[40], state[3], zip[11], err[32];
	struct us_address a;
	int bad_line = 0, bad_free = 0, ok = 0;

	for (int i = 0; i < 10000; i++) {
		int rc;
		random_text(l1, (rnd() % 4) ? 120 : sizeof(l1));
		random_text(l2, sizeof(l2));
		memset(&a, 0x5A, sizeof(a));
		memset(err, 0x5A, sizeof(err));
		rc = us_address_parse(l1, (i & 1) ? l2 : NULL, &a, err, sizeof(err));
		if ((rc != 0 && rc != -1) || !address_valid(&a, rc) ||
		    (rc < 0 && !memchr(err, '\0', sizeof(err))))
			bad_line++;
		ok += rc == 0;
		memset(&a, 0x5A, sizeof(a));
		memset(city, 0x5A, sizeof(city));
		rc = us_address_parse_freeform(l1, &a, city, sizeof(city), state, zip, err,
					       sizeof(err));
		if ((rc != 0 && rc != -1) || !address_valid(&a, rc) || !VALID(city) ||
		    !VALID(state) || !VALID(zip))
			bad_free++;
	}
	CHECK_INT(bad_line, 0, "10,000 random inputs: us_address_parse output always valid");
	CHECK_INT(bad_free, 0, "10,000 random inputs: freeform output always valid");
	CHECK(ok > 0, "some random inputs parse (%d)", ok);
}

int main(void)
{
	test_lines();
	test_extras();
	test_errors();
	test_freeform();
	test_freeform_details();
	test_cities();
	test_suffix_table();
	test_unit_table();
	test_directional_table();
	test_state_table();
	test_csvs();
	test_hostile();
	return test_done();
}
