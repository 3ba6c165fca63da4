using Concord.Soak.Runner;

namespace Concord.Soak.Tests;

/// <summary>build/soak.sh's options: defaults, values, and refusals that name the option.</summary>
public sealed class SoakOptionsTests
{
    [Fact]
    public void Without_arguments_the_run_is_the_full_one()
    {
        var options = SoakOptions.Parse([]);

        Assert.Equal(100_000, options.Customers);
        Assert.Equal(0.30, options.FaultShare);
        Assert.True(options.Kills > 0);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = SoakOptions.Parse(["--customers", "5000", "--seed", "7", "--kills", "2", "--faults", "0.1", "--edits", "0.2", "--shop", "0.3", "--timeout", "4", "--folder", "/tmp/x", "--keep", "--examples", "9"]);

        Assert.Equal(new SoakOptions { Customers = 5000, Seed = 7, Kills = 2, FaultShare = 0.1, EditShare = 0.2, ShopShare = 0.3, Timeout = TimeSpan.FromMinutes(4), Folder = "/tmp/x", Keep = true, Examples = 9 }, options);
    }

    [Theory]
    [InlineData("--customers", "0", "--customers must be positive")]
    [InlineData("--faults", "1.5", "--faults must be between 0 and 1")]
    [InlineData("--colour", "red", "Unknown option --colour")]
    public void A_bad_value_is_refused_naming_the_option(string name, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => SoakOptions.Parse([name, value]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_seed_gives_the_same_edits_shop_records_and_kill_points()
    {
        var options = new SoakOptions { Customers = 2_000, Seed = 5 };

        var first = SoakData.Create(options);
        var second = SoakData.Create(options);

        Assert.Equal(first.Edits, second.Edits);
        Assert.Equal(first.Shop, second.Shop);
        Assert.Equal(first.Kills, second.Kills);
        Assert.NotEqual(first.Edits, SoakData.Create(options with { Seed = 6 }).Edits);
    }
}
