global using Concord;
global using Concord.Connectors;
global using Xunit;
